/** How the rules read a RUN's shell script: commands, pipes, quotes, wrappers, hostile input. */
import { describe, expect, it } from 'vitest';
import { operands, parseShell } from '../../src/probes/dockerfile/shell.js';
import type { ShellCommand } from '../../src/probes/dockerfile/shell.js';

const names = (script: string) => parseShell(script).map((c) => c.name);
const words = (c: ShellCommand) => [c.name, ...c.args];

describe('parseShell', () => {
  it('splits on && || ; & | and newlines, and marks both sides of a pipe', () => {
    const commands = parseShell('a 1 && b || c; d & e | f |& g\nh');
    expect(commands.map(words)).toEqual([['a', '1'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h']]);
    expect(commands.map((c) => c.piped)).toEqual([false, false, false, false, true, true, true, false]);
  });

  it('removes quotes and escapes, keeps variables as written, and drops comments', () => {
    const [command] = parseShell(`echo 'a b' "c \\"d\\" $HOME" e\\ f \${X:-y} # sudo rm -rf /`);
    expect(words(command!)).toEqual(['echo', 'a b', 'c "d" $HOME', 'e f', '${X:-y}']);
    expect(names('echo "a && sudo b"')).toEqual(['echo']);
  });

  it('leaves redirections and file descriptors out of the arguments', () => {
    expect(parseShell('make 2>&1 >/dev/null < in.txt &> all.log').map(words)).toEqual([['make']]);
  });

  it('skips heredoc bodies', () => {
    expect(names('cat <<EOF > /etc/x.conf\nsudo rm -rf /\nEOF\nls\ncat <<-END\n\tcd /\n\tEND\npwd')).toEqual(['cat', 'ls', 'cat', 'pwd']);
  });

  it('reads assignments before the command word', () => {
    const [command] = parseShell('A=1 B="2 3" pip install x');
    expect(command!.name).toBe('pip');
    expect(Object.fromEntries(command!.assignments)).toEqual({ A: '1', B: '2 3' });
  });

  it('finds commands in compound commands, subshells and substitutions', () => {
    expect(names('if [ -f x ]; then cd /a; else { cd /b; }; fi')).toEqual(['[', 'cd', 'cd']);
    expect(names('for f in a b; do rm $f; done')).toEqual(['rm']);
    expect(names('(cd /x && make) && echo $(id -u) `whoami` "$(sudo ls)"')).toEqual(['cd', 'make', 'id', 'whoami', 'sudo', 'ls', 'echo']);
  });

  it('sees the command behind sudo, env, command, exec, nice and nohup', () => {
    expect(parseShell('sudo -u app -E HOME=/x apt-get install -y curl').map(words)).toEqual([
      ['sudo', '-u', 'app', '-E', 'HOME=/x', 'apt-get', 'install', '-y', 'curl'],
      ['apt-get', 'install', '-y', 'curl'],
    ]);
    expect(Object.fromEntries(parseShell('env -u X PIP_NO_CACHE_DIR=1 pip install x')[1]!.assignments)).toEqual({ PIP_NO_CACHE_DIR: '1' });
    expect(names('exec nice -n 5 nohup sudo --user=app npm install')).toEqual(['exec', 'nice', 'nohup', 'sudo', 'npm']);
    // `command -v x` only looks x up; `sudo -l` only lists.
    expect(names('command -v apt-get && sudo -l')).toEqual(['command', 'sudo']);
  });

  it('reads the script of sh -c as inner commands', () => {
    const commands = parseShell('bash -eo pipefail -c "cd /app && npm ci | tee log"');
    expect(commands.map((c) => [c.name, c.innerShell, c.piped])).toEqual([
      ['bash', false, false],
      ['cd', true, false],
      ['npm', true, true],
      ['tee', true, true],
    ]);
    expect(names('sh script.sh -c x')).toEqual(['sh']);
  });

  it('gives operands without the values of options that take one', () => {
    const [command] = parseShell('apk add --virtual .deps -X https://repo --repository=https://r2 -tvirt2 a b');
    expect(operands(command!, new Set(['virtual', 'X', 'repository', 't']))).toEqual(['add', 'a', 'b']);
  });

  it('survives unterminated quotes and substitutions', () => {
    for (const script of ['echo "abc', "echo 'abc", 'echo $(ls', 'echo `ls', 'echo ${X', 'cat <<EOF\nno end', 'echo \\']) {
      expect(() => parseShell(script)).not.toThrow();
    }
  });

  it('stays bounded on hostile nesting and long input', () => {
    const deep = `${'$('.repeat(5000)}sudo x${')'.repeat(5000)}`;
    const shells = `${'sh -c "'.repeat(200)}cd /${'"'.repeat(200)}`;
    const long = 'a | '.repeat(50_000) + 'b';
    const started = performance.now();
    expect(() => parseShell(deep)).not.toThrow();
    expect(() => parseShell(shells)).not.toThrow();
    expect(parseShell(long)).toHaveLength(50_001);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
