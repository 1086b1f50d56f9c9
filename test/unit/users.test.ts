import { describe, expect, it } from 'vitest';
import { lookUpPasswd, MAX_UID, parseUser, userPart } from '../../src/probes/users.js';

describe('parseUser', () => {
  it.each(['0', '00', '000000', '+0', '-0', '0:0', '00:00', '0:1000', '00000000000000000000000'])('reads %s as uid 0', (value) => {
    expect(parseUser(value)).toEqual({ kind: 'uid', uid: 0, how: 'number' });
  });

  it.each(['root', 'root:1000', 'root:root', 'root:0'])('reads %s as root by name', (value) => {
    expect(parseUser(value)).toEqual({ kind: 'uid', uid: 0, how: 'root' });
  });

  it.each(['', ':1000', ':0', ':'])('reads %j (no user part) as root', (value) => {
    expect(parseUser(value)).toEqual({ kind: 'uid', uid: 0, how: 'empty' });
  });

  it('reads other numbers as their uid, whatever the group', () => {
    expect(parseUser('1000')).toEqual({ kind: 'uid', uid: 1000, how: 'number' });
    expect(parseUser('01000:0')).toEqual({ kind: 'uid', uid: 1000, how: 'number' });
    expect(parseUser('+65534:root')).toEqual({ kind: 'uid', uid: 65534, how: 'number' });
    expect(parseUser(String(MAX_UID))).toEqual({ kind: 'uid', uid: MAX_UID, how: 'number' });
  });

  it('tells numbers the engine refuses apart from names', () => {
    expect(parseUser('-1')).toEqual({ kind: 'out-of-range', value: '-1' });
    expect(parseUser(String(MAX_UID + 1))).toEqual({ kind: 'out-of-range', value: String(MAX_UID + 1) });
    expect(parseUser('4294967296:0')).toEqual({ kind: 'out-of-range', value: '4294967296' });
    // Past 64 bits Go's Atoi fails, so the engine looks the text up as a name.
    expect(parseUser('99999999999999999999')).toEqual({ kind: 'name', name: '99999999999999999999' });
  });

  it.each([
    ['app', 'app'],
    ['app:0', 'app'],
    ['app:root', 'app'],
    ['Root', 'Root'],
    [' 0', ' 0'],
    ['0 ', '0 '],
    ['0x0', '0x0'],
    ['0_0', '0_0'],
    ['"0"', '"0"'],
    ['a:b:c', 'a'],
  ])('reads %j as the name %j', (value, name) => {
    expect(parseUser(value)).toEqual({ kind: 'name', name });
  });

  it('splits at the first colon', () => {
    expect(userPart('app:0:extra')).toBe('app');
    expect(userPart('app')).toBe('app');
  });
});

const passwd = (text: string) => Buffer.from(text, 'utf8');

describe('lookUpPasswd', () => {
  it('finds a name and reads its uid', () => {
    const file = passwd('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\napp:x:1000:1000::/app:/bin/sh\n');
    expect(lookUpPasswd(file, 'app', false)).toEqual({ found: true, uid: 1000, uidField: '1000', line: 3 });
    expect(lookUpPasswd(file, 'root', false)).toEqual({ found: true, uid: 0, uidField: '0', line: 1 });
    expect(lookUpPasswd(file, 'ghost', false)).toEqual({ found: false, complete: true });
  });

  it('lets the first line with the name win', () => {
    expect(lookUpPasswd(passwd('app:x:0:0::/:/bin/sh\napp:x:1000:0::/:/bin/sh\n'), 'app', false)).toMatchObject({
      found: true,
      uid: 0,
      line: 1,
    });
    expect(lookUpPasswd(passwd('app:x:1000:0::/:/bin/sh\napp:x:0:0::/:/bin/sh\n'), 'app', false)).toMatchObject({
      found: true,
      uid: 1000,
      line: 1,
    });
  });

  it('skips blank lines and trims each line, counting lines as the file has them', () => {
    const file = passwd('\n   \n\t  app:x:0:0::/:/bin/sh  \r\n');
    expect(lookUpPasswd(file, 'app', false)).toEqual({ found: true, uid: 0, uidField: '0', line: 3 });
    expect(lookUpPasswd(passwd('app:x:7:7::/:/bin/sh\r\n'), 'app', false)).toMatchObject({ uid: 7 });
    // Unicode spaces count too (U+00A0, U+3000), as with Go's TrimSpace...
    expect(lookUpPasswd(passwd('\u00a0\u3000app:x:0:0::/:/bin/sh'), 'app', false)).toMatchObject({ found: true, uid: 0 });
    // ...but a byte-order mark is not a space there, so that line names "\uFEFFapp".
    expect(lookUpPasswd(passwd('\uFEFFapp:x:1000:0::/:/bin/sh\napp:x:0:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 0, line: 2 });
  });

  it('has no comment syntax: a commented-out line only names "#…"', () => {
    const file = passwd('# app:x:1000:0::/:/bin/sh\n#app:x:1000:0::/:/bin/sh\napp:x:0:0::/:/bin/sh\n');
    expect(lookUpPasswd(file, 'app', false)).toMatchObject({ found: true, uid: 0, line: 3 });
    expect(lookUpPasswd(file, '#app', false)).toMatchObject({ found: true, uid: 1000, line: 2 });
  });

  it('reads a malformed line as the engine does: a missing or garbled uid is 0', () => {
    expect(lookUpPasswd(passwd('app\n'), 'app', false)).toEqual({ found: true, uid: 0, uidField: undefined, line: 1 });
    expect(lookUpPasswd(passwd('app:x\n'), 'app', false)).toMatchObject({ uid: 0, uidField: undefined });
    expect(lookUpPasswd(passwd('app:x::0::/:/bin/sh\n'), 'app', false)).toMatchObject({ uid: 0, uidField: '' });
    expect(lookUpPasswd(passwd('app:x:abc:0::/:/bin/sh\n'), 'app', false)).toMatchObject({ uid: 0, uidField: 'abc' });
    expect(lookUpPasswd(passwd('app:x: 1000:0::/:/bin/sh\n'), 'app', false)).toMatchObject({ uid: 0, uidField: ' 1000' });
    expect(lookUpPasswd(passwd('app:x:1000\n'), 'app', false)).toMatchObject({ uid: 1000 });
    expect(lookUpPasswd(passwd('app:x:+5:0::/:/bin/sh\n'), 'app', false)).toMatchObject({ uid: 5 });
  });

  it('cuts a uid to 32 bits as the engine does, so 4294967296 is root', () => {
    expect(lookUpPasswd(passwd('app:x:4294967296:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 0 });
    expect(lookUpPasswd(passwd('app:x:-4294967296:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 0 });
    expect(lookUpPasswd(passwd('app:x:4294967297:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 1 });
    expect(lookUpPasswd(passwd('app:x:-1:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 4294967295 });
    // Past 64 bits Go clamps: the smallest int64 is 0 in 32 bits, the largest is not.
    expect(lookUpPasswd(passwd('app:x:-99999999999999999999:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 0 });
    expect(lookUpPasswd(passwd('app:x:99999999999999999999:0::/:/bin/sh'), 'app', false)).toMatchObject({ uid: 4294967295 });
  });

  it('compares names exactly, byte for byte', () => {
    const file = passwd('App:x:0:0::/:/bin/sh\napp :x:0:0::/:/bin/sh\nAPP:x:0:0::/:/bin/sh\n');
    expect(lookUpPasswd(file, 'app', false)).toEqual({ found: false, complete: true });
    // An invalid UTF-8 byte is not U+FFFD: the first line does not name "ap\uFFFD".
    const mixed = Buffer.concat([Buffer.from('ap'), Buffer.from([0xff]), Buffer.from(':x:1000:0::/:/bin/sh\nap\uFFFD:x:0:0::/:/bin/sh\n')]);
    expect(lookUpPasswd(mixed, 'ap\uFFFD', false)).toMatchObject({ found: true, uid: 0, line: 2 });
    expect(lookUpPasswd(passwd('사용자:x:1001:0::/:/bin/sh\n'), '사용자', false)).toMatchObject({ found: true, uid: 1001 });
  });

  it('ignores the partial last line of a truncated file, and says the search was incomplete', () => {
    expect(lookUpPasswd(passwd('root:x:0:0::/:/bin/sh\napp:x:10'), 'app', true)).toEqual({ found: false, complete: false });
    expect(lookUpPasswd(passwd('app:x:1000:0::/:/bin/sh\nfiller:x:1'), 'app', true)).toMatchObject({ found: true, uid: 1000 });
    expect(lookUpPasswd(passwd('app:x:10'), 'app', false)).toMatchObject({ found: true, uid: 10 });
    expect(lookUpPasswd(passwd(''), 'app', false)).toEqual({ found: false, complete: true });
  });
});
