/**
 * The built-in rules against hadolint's own examples for the rule each follows
 * (hadolint/hadolint test/Hadolint/Rule/DLxxxxSpec.hs). A case is hadolint's
 * `ruleCatches` / `ruleCatchesNot`; `onbuild` is its `onBuildRuleCatches(Not)`, which
 * runs the same Dockerfile with every RUN written as `ONBUILD RUN`.
 *
 * hadolint lints a Dockerfile without FROM; the builder does not, so such a case gets a
 * `FROM debian:12` on top. Where the grader deliberately judges otherwise, the case says
 * what hadolint expects and why the grader differs.
 */
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../src/probes/dockerfile/model.js';
import { checkRule } from '../../src/probes/dockerfile/rules.js';
import type { DockerfileRule } from '../../src/rubric/model.js';

interface Case {
  name: string;
  dockerfile: string;
  /** hadolint's `ruleCatches` (true) or `ruleCatchesNot` (false). */
  catches: boolean;
  /** The same with every RUN under ONBUILD; absent where hadolint's spec has no such line. */
  onbuild?: boolean;
  /** The Dockerfile of the ONBUILD line, where hadolint's spec uses another one. */
  onbuildDockerfile?: string;
  /** What the grader decides where it deliberately differs from hadolint, and why. */
  differs?: { catches?: boolean; onbuild?: boolean; why: string };
}

interface Suite {
  dl: string;
  rule: DockerfileRule;
  cases: Case[];
}

const lines = (...l: string[]) => l.join('\n');
const catches = (name: string, dockerfile: string, onbuild?: boolean): Case => ({ name, dockerfile, catches: true, onbuild });
const passes = (name: string, dockerfile: string, onbuild?: boolean): Case => ({ name, dockerfile, catches: false, onbuild });

const SUITES: Suite[] = [
  {
    dl: 'DL3003',
    rule: 'no-cd',
    cases: [passes('ok using WORKDIR', 'WORKDIR /opt'), catches('not ok using cd', 'RUN cd /opt')],
  },
  {
    dl: 'DL3004',
    rule: 'no-sudo',
    cases: [
      catches('sudo', 'RUN sudo apt-get update', true),
      passes('install sudo', 'RUN apt-get install sudo', false),
      catches('sudo chained programs', 'RUN apt-get update && sudo apt-get install', true),
    ],
  },
  {
    dl: 'DL3009',
    rule: 'apt-cleanup',
    cases: [
      catches('apt-get no cleanup', lines('FROM scratch', 'RUN apt-get update && apt-get install python'), true),
      {
        ...passes(
          'apt-get cleanup in stage image',
          lines('FROM ubuntu as foo', 'RUN apt-get update && apt-get install python', 'FROM scratch', 'RUN echo hey!'),
          true,
        ),
        differs: { onbuild: false, why: 'stage foo never reaches the final image, so its ONBUILD triggers never run either' },
      },
      catches(
        'apt-get no cleanup in last stage',
        lines('FROM ubuntu as foo', 'RUN hey!', 'FROM scratch', 'RUN apt-get update && apt-get install python'),
        true,
      ),
      catches(
        'apt-get no cleanup in intermediate stage',
        lines('FROM ubuntu as foo', 'RUN apt-get update && apt-get install python', 'FROM foo', 'RUN hey!'),
        true,
      ),
      passes(
        'no warn apt-get cleanup in intermediate stage that cleans lists',
        lines('FROM ubuntu as foo', 'RUN apt-get update && apt-get install python && rm -rf /var/lib/apt/lists/*', 'FROM foo', 'RUN hey!'),
        false,
      ),
      {
        ...passes(
          'no warn apt-get cleanup in intermediate stage when stage not used later',
          lines('FROM ubuntu as foo', 'RUN apt-get update && apt-get install python', 'FROM scratch', 'RUN hey!'),
          true,
        ),
        differs: { onbuild: false, why: 'stage foo never reaches the final image, so its ONBUILD triggers never run either' },
      },
      passes(
        'apt-get cleanup',
        lines('FROM scratch', 'RUN apt-get update && apt-get install python && rm -rf /var/lib/apt/lists/*'),
        false,
      ),
      // hadolint writes these two as one line with a stray backslash; the continuation is what it means.
      passes(
        "don't warn: BuildKit cache mount to apt lists directory",
        lines('RUN --mount=type=cache,target=/var/lib/apt/lists \\', '    apt-get update && apt-get install python'),
        false,
      ),
      passes(
        "don't warn: BuildKit cache mount to apt directories 1",
        lines(
          'RUN --mount=type=cache,target=/var/lib/apt \\',
          '    --mount=type=cache,target=/var/cache/apt \\',
          '    rm -f /etc/apt/apt.conf.d/docker-clean && \\',
          '    apt-get update && apt-get install python',
        ),
        false,
      ),
      passes(
        "don't warn: BuildKit cache mount to apt directories 2",
        lines(
          'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
          'RUN --mount=type=cache,target=/var/cache/apt \\',
          '    --mount=type=cache,target=/var/lib/apt \\',
          '    apt-get update && apt-get install foo',
        ),
        false,
      ),
      catches(
        'warn: BuildKit cache mount to apt cache directory only',
        lines(
          'RUN --mount=type=cache,target=/var/cache/apt \\',
          '    rm -f /etc/apt/apt.conf.d/docker-clean && \\',
          '    apt-get update && apt-get install python',
        ),
        true,
      ),
      catches(
        'warn: BuildKit cache mount to apt lists directory only',
        lines(
          'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
          'RUN --mount=type=cache,target=/var/lib/apt \\',
          '    apt-get update && apt-get install python',
        ),
        true,
      ),
    ],
  },
  {
    dl: 'DL3015',
    rule: 'no-install-recommends',
    cases: [
      passes('apt-get install recommends', 'RUN apt-get install --no-install-recommends python', false),
      catches('apt-get no install recommends', 'RUN apt-get install python', true),
      catches('apt-get no install recommends (-y)', 'RUN apt-get -y install python', true),
      passes('apt-get no install recommends via option', 'RUN apt-get -o APT::Install-Recommends=false install python', false),
    ],
  },
  {
    dl: 'DL3019',
    rule: 'apk-no-cache',
    cases: [
      catches('apk add with --no-cache', 'RUN apk add flex=2.6.4-r1', true),
      passes('apk add without --no-cache', 'RUN apk add --no-cache flex=2.6.4-r1', false),
      passes("don't warn: apk add with BuildKit cache mount", 'RUN --mount=type=cache,target=/var/cache/apk apk add -U curl=7.77.0', false),
      passes(
        "don't warn: apk add with BuildKit cache mount in wrong dir and --no-cache",
        'RUN --mount=type=cache,target=/var/cache/foo apk add --no-cache -U curl=7.77.0',
        false,
      ),
      catches(
        'warn: apk add with BuildKit cache mount to wrong dir',
        'RUN --mount=type=cache,target=/var/cache/foo apk add -U curl=7.77.0',
        true,
      ),
    ],
  },
  {
    dl: 'DL3042',
    rule: 'pip-no-cache',
    cases: [
      catches('pip2 --no-cache-dir not used', 'RUN pip2 install MySQL_python', true),
      catches('pip3 --no-cache-dir not used', 'RUN pip3 install MySQL_python', true),
      catches('pip --no-cache-dir not used', 'RUN pip install MySQL_python', true),
      passes('pip2 --no-cache-dir used', 'RUN pip2 install MySQL_python --no-cache-dir', false),
      passes('pip3 --no-cache-dir used', 'RUN pip3 install --no-cache-dir MySQL_python', false),
      passes('pip --no-cache-dir used', 'RUN pip install MySQL_python --no-cache-dir', false),
      { ...passes("don't match on pipx", 'RUN pipx install software', false), onbuildDockerfile: 'Run pipx install software' },
      passes("don't match on pipenv", 'RUN pipenv install library', false),
      ...['1', 'on', 'yes', 'true'].flatMap((v) => [
        passes(`respect ENV PIP_NO_CACHE_DIR=${v}`, `ENV PIP_NO_CACHE_DIR=${v}\nRUN pip install MySQL_python`),
        passes(`respect RUN PIP_NO_CACHE_DIR=${v}`, `RUN PIP_NO_CACHE_DIR=${v} pip install MySQL_python`),
        passes(`respect RUN export PIP_NO_CACHE_DIR=${v}`, `RUN export PIP_NO_CACHE_DIR=${v} && pip install MySQL_python`),
      ]),
      ...['0', 'off', 'no', 'false'].flatMap((v) => [
        catches(`respect ENV PIP_NO_CACHE_DIR=${v} (falsy)`, `ENV PIP_NO_CACHE_DIR=${v}\nRUN pip install MySQL_python`),
        catches(`respect RUN PIP_NO_CACHE_DIR=${v} (falsy)`, `RUN PIP_NO_CACHE_DIR=${v} pip install MySQL_python`),
        catches(`respect RUN export PIP_NO_CACHE_DIR=${v} (falsy)`, `RUN export PIP_NO_CACHE_DIR=${v} && pip install MySQL_python`),
      ]),
      passes(
        "don't trigger if PIP_NO_CACHE_DIR is inherited",
        lines('FROM debian:buster as base', 'ENV PIP_NO_CACHE_DIR=1', 'FROM base', 'RUN pip install six'),
      ),
      catches(
        'trigger if PIP_NO_CACHE_DIR is not inherited',
        lines('FROM debian:buster as base', 'ENV PIP_NO_CACHE_DIR=1', 'FROM debian:buster', 'RUN pip install six'),
      ),
    ],
  },
  {
    dl: 'DL4006',
    rule: 'pipefail',
    cases: [
      catches('warn on missing pipefail', lines('FROM scratch', 'RUN wget -O - https://some.site | wc -l > /number')),
      passes(
        "don't warn on commands with no pipes",
        lines('FROM scratch as build', 'RUN wget -O - https://some.site && wc -l file > /number'),
      ),
      ...[
        ['the pipefail option', '["/bin/bash", "-eo", "pipefail", "-c"]'],
        ['the pipefail option 2', '["/bin/bash", "-e", "-o", "pipefail", "-c"]'],
        ['the pipefail option 3', '["/bin/bash", "-o", "errexit", "-o", "pipefail", "-c"]'],
        ['the pipefail zsh', '["/bin/zsh", "-o", "pipefail", "-c"]'],
        ['bash invoked via a non-standard absolute path', '["/usr/bin/bash", "-o", "pipefail", "-c"]'],
        ['zsh invoked via a non-standard absolute path', '["/usr/local/bin/zsh", "-o", "pipefail", "-c"]'],
      ].map(([name, shell]) =>
        passes(
          `don't warn on commands with pipes and ${name}`,
          lines('FROM scratch as build', `SHELL ${shell}`, 'RUN wget -O - https://some.site | wc -l file > /number'),
        ),
      ),
      passes(
        "don't warn on powershell",
        lines('FROM scratch as build', 'SHELL ["pwsh", "-c"]', 'RUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value'),
      ),
      catches(
        'warns when using plain sh',
        lines(
          'FROM scratch as build',
          'SHELL ["/bin/sh", "-o", "pipefail", "-c"]',
          'RUN wget -O - https://some.site | wc -l file > /number',
        ),
      ),
      catches(
        'warn on missing pipefail in the next image',
        lines(
          'FROM scratch as build',
          'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
          'RUN wget -O - https://some.site | wc -l file > /number',
          'FROM scratch as build2',
          'RUN wget -O - https://some.site | wc -l file > /number',
        ),
      ),
      catches(
        'warn on missing pipefail if next SHELL is not using it',
        lines(
          'FROM scratch as build',
          'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
          'RUN wget -O - https://some.site | wc -l file > /number',
          'SHELL ["/bin/sh", "-c"]',
          'RUN wget -O - https://some.site | wc -l file > /number',
        ),
      ),
      ...[
        ['pwsh', '[ "pwsh", "-c" ]'],
        ['powershell', '[ "powershell.exe" ]'],
        ['cmd.exe', '[ "cmd.exe", "/c" ]'],
      ].map(([name, shell]) =>
        passes(
          `ignore non posix shells: ${name}`,
          lines(
            'FROM mcr.microsoft.com/powershell:ubuntu-16.04',
            `SHELL ${shell}`,
            'RUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value',
          ),
        ),
      ),
    ],
  },
  {
    dl: 'DL4003',
    rule: 'single-cmd',
    cases: [
      catches('many cmds', lines('FROM debian', 'CMD bash', 'RUN foo', 'CMD another')),
      passes(
        'single cmds, different stages',
        lines('FROM debian as distro1', 'CMD bash', 'RUN foo', 'FROM debian as distro2', 'CMD another'),
      ),
      catches(
        'many cmds, different stages',
        lines('FROM debian as distro1', 'CMD bash', 'RUN foo', 'CMD another', 'FROM debian as distro2', 'CMD another'),
      ),
      passes('single cmd', 'CMD /bin/true'),
    ],
  },
  {
    dl: 'DL4004',
    rule: 'single-cmd',
    cases: [
      passes('no cmd', 'FROM busybox'),
      catches('many entrypoints', lines('FROM debian', 'ENTRYPOINT bash', 'RUN foo', 'ENTRYPOINT another')),
      passes(
        'single entrypoint, different stages',
        lines('FROM debian as distro1', 'ENTRYPOINT bash', 'RUN foo', 'FROM debian as distro2', 'ENTRYPOINT another'),
      ),
      catches(
        'many entrypoints, different stages',
        lines('FROM debian as distro1', 'ENTRYPOINT bash', 'RUN foo', 'ENTRYPOINT another', 'FROM debian as distro2', 'ENTRYPOINT another'),
      ),
      passes('single entry', 'ENTRYPOINT /bin/true'),
      passes('no entry', 'FROM busybox'),
    ],
  },
  {
    dl: 'DL3045',
    rule: 'relative-copy-workdir',
    cases: [
      passes('ok: COPY with absolute destination and no WORKDIR set', 'COPY bla.sh /usr/local/bin/blubb.sh', false),
      {
        ...passes('ok: COPY with absolute destination and no WORKDIR set with quotes', 'COPY bla.sh "/usr/local/bin/blubb.s"', false),
        onbuildDockerfile: 'COPY bla.sh "/usr/local/bin/blubb.sh"',
      },
      {
        ...passes('ok: COPY with absolute destination and no WORKDIR set - windows', 'COPY bla.sh c:\\system32\\blubb.sh', false),
        onbuildDockerfile: 'COPY bla.sh d:\\mypath\\blubb.sh',
      },
      {
        ...passes(
          'ok: COPY with absolute destination and no WORKDIR set - windows with quotes',
          'COPY bla.sh "c:\\system32\\blubb.sh"',
          false,
        ),
        onbuildDockerfile: 'COPY bla.sh "d:\\mypath\\blubb.sh"',
      },
      {
        ...passes(
          'ok: COPY with absolute destination and no WORKDIR set - windows with alternative paths',
          'COPY bla.sh c:/system32/blubb.sh',
          false,
        ),
        onbuildDockerfile: 'COPY bla.sh d:/mypath/blubb.sh',
      },
      // hadolint's ONBUILD line for this case has its arguments swapped (and so checks nothing); this is what it means.
      passes('ok: COPY with relative destination and WORKDIR set', 'FROM scratch\nWORKDIR /usr\nCOPY bla.sh blubb.sh', false),
      passes(
        'ok: COPY with relative destination and WORKDIR set - windows',
        'FROM scratch\nWORKDIR c:\\system32\nCOPY bla.sh blubb.sh',
        false,
      ),
      passes('ok: COPY with destination being an environment variable 1', 'COPY src.sh ${SRC_BASE_ENV}', false),
      passes('ok: COPY with destination being an environment variable 2', 'COPY src.sh $SRC_BASE_ENV', false),
      passes('ok: COPY with destination being an environment variable 3', 'COPY src.sh "${SRC_BASE_ENV}"', false),
      passes('ok: COPY with destination being an environment variable 4', 'COPY src.sh "$SRC_BASE_ENV"', false),
      catches('not ok: COPY with relative destination and no WORKDIR set', 'COPY bla.sh blubb.sh', true),
      catches('not ok: COPY with relative destination and no WORKDIR set with quotes', 'COPY bla.sh "blubb.sh"', true),
      catches(
        'not ok: COPY to relative destination if WORKDIR is set in a previous stage but not inherited',
        lines('FROM debian:buster as stage1', 'WORKDIR /usr', 'FROM debian:buster', 'COPY foo bar'),
        true,
      ),
      catches(
        'not ok: COPY to relative destination if WORKDIR is set in a previous stage but not inherited - windows',
        lines('FROM microsoft/windowsservercore as stage1', 'WORKDIR c:\\system32', 'FROM microsoft/windowsservercore', 'COPY foo bar'),
        true,
      ),
      passes(
        'ok: COPY to relative destination if WORKDIR has been set in base image',
        lines(
          'FROM debian:buster as base',
          'WORKDIR /usr',
          'FROM debian:buster as stage-inbetween',
          'RUN foo',
          'FROM base',
          'COPY foo bar',
        ),
        false,
      ),
      passes(
        'ok: COPY to relative destination if WORKDIR has been set in base image - windows',
        lines(
          'FROM microsoft/windowsservercore as base',
          'WORKDIR c:\\system32',
          'FROM microsoft/windowsservercore as stage-inbetween',
          'RUN foo',
          'FROM base',
          'COPY foo bar',
        ),
        false,
      ),
      passes(
        'ok: COPY to relative destination if WORKDIR has been set in previous stage, deep case',
        lines('FROM debian:buster as base1', 'WORKDIR /usr', 'FROM base1 as base2', 'RUN foo', 'FROM base2', 'COPY foo bar'),
        false,
      ),
      passes(
        'ok: COPY to relative destination if WORKDIR has been set in previous stage, deep case - windows',
        lines(
          'FROM microsoft/windowsservercore as base1',
          'WORKDIR c:\\system32',
          'FROM base1 as base2',
          'RUN foo',
          'FROM base2',
          'COPY foo bar',
        ),
        false,
      ),
      passes(
        'ok: COPY to relative destination if WORKDIR has been set, both within an ONBUILD context',
        lines('FROM debian:buster', 'ONBUILD WORKDIR /usr/local/lib', 'ONBUILD COPY foo bar'),
        false,
      ),
      catches("regression: don't crash with single character paths", 'COPY a b', true),
    ],
  },
  {
    dl: 'DL3064',
    rule: 'no-secrets',
    cases: [
      passes('ok: no ARG, no ENV', lines('FROM debian:bullseye', 'RUN foobar'), false),
      passes('ok: ARG no sensitive data, no ENV', lines('ARG foobar', 'FROM debian:bullseye', 'RUN foobar'), false),
      passes('ok: no ARG, ENV no sensitive data', lines('FROM debian:bullseye', 'ENV foobar=barfoo', 'RUN foobar'), false),
      {
        ...catches('not ok: ARG with sensitive data', lines('ARG AWS_ACCESS_KEY_ID', 'FROM debian:bullseye', 'RUN foobar'), true),
        differs: { catches: false, onbuild: false, why: 'an ARG without a default holds no secret in the Dockerfile or the image config' },
      },
      {
        ...catches(
          'not ok: ARG with sensitive data, different casing',
          lines('ARG openai_api_key', 'FROM debian:bullseye', 'RUN foobar'),
          true,
        ),
        differs: { catches: false, onbuild: false, why: 'an ARG without a default holds no secret in the Dockerfile or the image config' },
      },
      catches(
        'not ok: ENV with sensitive data',
        lines('FROM debian:bullseye', 'ENV AWS_ACCESS_KEY_ID=abcdefghijklmnopqrstuvwxyz', 'RUN foobar'),
        true,
      ),
      catches(
        'not ok: ENV with sensitive data, different casing',
        lines('FROM debian:bullseye', 'ENV my_password=abcdefghijklmnopqrstuvwxyz', 'RUN foobar'),
        true,
      ),
    ],
  },
  {
    dl: 'DL3008',
    rule: 'pinned-packages',
    cases: [
      catches('apt-get version pinning', 'RUN apt-get update && apt-get install python', true),
      passes(
        'apt-get pinned chained',
        lines(
          'RUN apt-get update \\',
          ' && apt-get -yqq --no-install-recommends install nodejs=0.10 \\',
          ' && rm -rf /var/lib/apt/lists/*',
        ),
        false,
      ),
      passes(
        'apt-get pinned regression',
        lines(
          'RUN apt-get update && apt-get install --no-install-recommends -y \\',
          'python-demjson=2.2.2* \\',
          'wget=1.16.1* \\',
          'git=1:2.5.0* \\',
          'ruby=1:2.1.*',
        ),
        false,
      ),
      passes('apt-get version', 'RUN apt-get install -y python=1.2.2', false),
      passes('apt-get version (.deb file)', 'RUN apt-get install ./wkhtmltox_0.12.5-1.bionic_amd64.deb', false),
      passes('apt-get pinned', 'RUN apt-get -y --no-install-recommends install nodejs=0.10', false),
      passes(
        'apt-get tolerate target-release',
        lines(
          'RUN set -e &&\\',
          ' echo "deb http://http.debian.net/debian jessie-backports main" > /etc/apt/sources.list.d/jessie-backports.list &&\\',
          ' apt-get update &&\\',
          ' apt-get install -y --no-install-recommends -t jessie-backports openjdk-8-jdk=8u131-b11-1~bpo8+1 &&\\',
          ' rm -rf /var/lib/apt/lists/*',
        ),
        false,
      ),
    ],
  },
  {
    dl: 'DL3013',
    rule: 'pinned-packages',
    cases: [
      catches('pip2 version not pinned', 'RUN pip2 install MySQL_python', true),
      { ...catches('pip3 version not pinned', 'RUN pip3 install MySQL_python', true), onbuildDockerfile: 'RUN pip2 install MySQL_python' },
      passes('pip3 version pinned', 'RUN pip3 install MySQL_python==1.2.2', false),
      passes('pip3 install from local package (.whl)', 'RUN pip3 install mypkg.whl', false),
      passes('pip3 install from local package (.tar.gz)', 'RUN pip3 install mypkg.tar.gz', false),
      passes('pip install requirements', 'RUN pip install -r requirements.txt', false),
      passes('pip install requirements with long flag', 'RUN pip install --requirement requirements.txt', false),
      passes('pip install use setup.py', 'RUN pip install .', false),
      catches('pip version not pinned', 'RUN pip install MySQL_python', true),
      passes('pip version pinned', 'RUN pip install MySQL_python==1.2.2', false),
      passes('pip version pinned with ~= operator', 'RUN pip install MySQL_python~=1.2.2', false),
      passes('pip version pinned with === operator', 'RUN pip install MySQL_python===1.2.2', false),
      passes('pip version pinned with flag --ignore-installed', 'RUN pip install --ignore-installed MySQL_python==1.2.2', false),
      ...['build', 'prefix', 'root', 'target'].map((flag) =>
        passes(`pip version pinned with flag --${flag}`, `RUN pip3 install --${flag} /opt/yamllint yamllint==1.20.0`, false),
      ),
      passes('pip version pinned with flag --trusted-host', 'RUN pip3 install --trusted-host host example==1.2.2', false),
      passes('pip version pinned with python -m', 'RUN python -m pip install example==1.2.2', false),
      {
        ...catches('pip version not pinned with python -m', 'RUN python -m pip install example', true),
        onbuildDockerfile: 'RUN python -m pip install --index-url url example',
      },
      passes('pip install git (https)', 'RUN pip install git+https://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext', false),
      passes('pip install git (ssh)', 'RUN pip install git+ssh://github.com/rtfd/r-ext.git@0.6-alpha#egg=r-ext', false),
      catches('pip install unversioned git (https)', 'RUN pip install git+https://github.com/rtfd/read-ext.git#egg=read-ext', true),
      catches('pip install unversioned git (ssh)', 'RUN pip install git+ssh://github.com/rtfd/read-ext.git#egg=read-ext', true),
      passes('pip install local dir', 'RUN pip install foo/bar', false),
      passes('pip install https url package', 'RUN pip install https://foo.bar/baz.zip', false),
      passes('pip install upper bound', "RUN pip install 'alabaster>=0.7'", false),
      passes('pip install lower bound', "RUN pip install 'alabaster<0.7'", false),
      passes('pip install excluded version', "RUN pip install 'alabaster!=0.7'", false),
      passes('pip install user directory', 'RUN pip install MySQL_python==1.2.2 --user', false),
      passes('pip install no pip version check', 'RUN pip install MySQL_python==1.2.2 --disable-pip-version-check', false),
      passes('pip install --index-url', 'RUN pip install --index-url https://eg.com/foo foobar==1.0.0', false),
      // hadolint's spec repeats --index-url here; the case is about -i, so -i it is.
      passes('pip install index-url with -i flag', 'RUN pip install -i https://eg.com/foo foobar==1.0.0', false),
      passes(
        'pip install --index-url with --extra-index-url',
        'RUN pip install --index-url https://eg.com/foo --extra-index-url https://ex-eg.io/foo foobar==1.0.0',
        false,
      ),
      passes('pip install no cache dir', 'RUN pip install MySQL_python==1.2.2 --no-cache-dir', false),
      passes('pip install constraints file - long version argument', 'RUN pip install pykafka --constraint http://foo.bar.baz', false),
      passes('pip install constraints file - short version argument', 'RUN pip install pykafka -c http://foo.bar.baz', false),
      passes(
        'pip install --index-url with --extra-index-url with basic auth',
        'RUN pip install --index-url https://user:pass@eg.com/foo --extra-index-url https://user:pass@ex-eg.io/foo foobar==1.0.0',
        false,
      ),
      passes('pipenv is not pip', 'RUN pipenv install black', false),
    ],
  },
  {
    dl: 'DL3016',
    rule: 'pinned-packages',
    cases: [
      passes('version pinned in package.json', 'RUN npm install', false),
      passes('version pinned in package.json with arguments', 'RUN npm install --progress=false', false),
      passes('version pinned', 'RUN npm install express@4.1.1', false),
      passes('version pinned with scope', 'RUN npm install @myorg/privatepackage@">=0.1.0"', false),
      passes('version pinned multiple packages', 'RUN npm install express@"4.1.1" sax@0.1.1', false),
      passes('version pinned with --global', 'RUN npm install --global express@"4.1.1"', false),
      passes('version pinned with -g', 'RUN npm install -g express@"4.1.1"', false),
      ...['tar', 'tar.gz', 'tgz'].map((suffix) =>
        passes(`version does not have to be pinned for tarball suffix .${suffix}`, `RUN npm install package-v1.2.3.${suffix}`, false),
      ),
      ...['/folder', './folder', '../folder', '~/folder'].map((folder) =>
        passes(`version does not have to be pinned for folder ${folder}`, `RUN npm install ${folder}`, false),
      ),
      passes('commit pinned for git+ssh', 'RUN npm install git+ssh://git@github.com:npm/npm.git#v1.0.27', false),
      passes('commit pinned for git+http', 'RUN npm install git+http://isaacs@github.com/npm/npm#semver:^5.0', false),
      passes('commit pinned for git+https', 'RUN npm install git+https://isaacs@github.com/npm/npm.git#v1.0.27', false),
      passes('commit pinned for git', 'RUN npm install git://github.com/npm/npm.git#v1.0.27', false),
      passes('npm run install is fine', 'RUN npm run --crazy install', false),
      passes('version range with scope', 'RUN npm install @myorg/privatepackage@">=0.1.0 <0.2.0"', false),
      catches('version not pinned', 'RUN npm install express', true),
      catches('version not pinned with scope', 'RUN npm install @myorg/privatepackage', true),
      catches('version not pinned multiple packages', 'RUN npm install express sax@0.1.1', true),
      catches('version not pinned with --global', 'RUN npm install --global express', true),
      catches('commit not pinned for git+ssh', 'RUN npm install git+ssh://git@github.com:npm/npm.git', true),
      catches('commit not pinned for git+http', 'RUN npm install git+http://isaacs@github.com/npm/npm', true),
      catches('commit not pinned for git+https', 'RUN npm install git+https://isaacs@github.com/npm/npm.git', true),
      catches('commit not pinned for git', 'RUN npm install git://github.com/npm/npm.git', true),
      passes("don't fire on loglevel flag", 'RUN npm install --loglevel verbose sax@0.1.1', false),
      passes("don't fire on registry flag", 'RUN npm install --registry https://example.com sax@0.1.1', false),
      catches('version not pinned with --registry flag', 'RUN npm install --registry https://example.com express', true),
      catches('version not pinned with --registry=value form', 'RUN npm install --registry=https://example.com express', true),
    ],
  },
  {
    dl: 'DL3018',
    rule: 'pinned-packages',
    cases: [
      catches('apk add version pinning single', 'RUN apk add flex', true),
      passes('apk add no version pinning single', 'RUN apk add flex=2.6.4-r1', false),
      passes('apk add tilde version pinning single', 'RUN apk add --no-cache git~2.52.0', false),
      passes(
        'apk add version pinned chained',
        lines('RUN apk add --no-cache flex=2.6.4-r1 \\', ' && pip install -r requirements.txt'),
        false,
      ),
      passes(
        'apk add version pinned regression',
        lines('RUN apk add --no-cache \\', 'flex=2.6.4-r1 \\', 'libffi=3.2.1-r3 \\', 'python2=2.7.13-r1 \\', 'libbz2=1.0.6-r5'),
        false,
      ),
      catches(
        'apk add version pinned regression - one missed',
        lines('RUN apk add --no-cache \\', 'flex=2.6.4-r1 \\', 'libffi \\', 'python2=2.7.13-r1 \\', 'libbz2=1.0.6-r5'),
        true,
      ),
      passes(
        'apk add virtual package',
        lines(
          'RUN apk add \\',
          '--virtual build-dependencies \\',
          'python-dev=1.1.1 build-base=2.2.2 wget=3.3.3 \\',
          '&& pip install -r requirements.txt \\',
          '&& python setup.py install \\',
          '&& apk del build-dependencies',
        ),
        false,
      ),
      passes(
        'apk add with repository without equal sign',
        lines('RUN apk add --no-cache \\', '--repository https://nl.alpinelinux.org/alpine/edge/testing \\', 'flow=0.78.0-r0'),
        false,
      ),
      passes(
        'apk add with repository with equal sign',
        lines('RUN apk add --no-cache \\', '--repository=https://nl.alpinelinux.org/alpine/edge/testing \\', 'flow=0.78.0-r0'),
        false,
      ),
      passes(
        'apk add with repository (-X) without equal sign',
        lines('RUN apk add --no-cache \\', '-X https://nl.alpinelinux.org/alpine/edge/testing \\', 'flow=0.78.0-r0'),
        false,
      ),
      passes("don't trigger when installing from .apk file", 'RUN apk add mypackage-1.1.1.apk', false),
    ],
  },
];

/** Builders reject a Dockerfile that runs anything before FROM. */
function withFrom(text: string): string {
  return /^\s*FROM\s/im.test(text) ? text : `FROM debian:12\n${text}`;
}

/** hadolint's ONBUILD variant: every RUN written as `ONBUILD RUN`. */
function underOnbuild(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^RUN\b/i.test(line) ? `ONBUILD ${line}` : line))
    .join('\n');
}

/** What each rule points at: the instructions it judges. */
const POINTS_AT: Record<string, RegExp> = {
  'single-cmd': /^(CMD|ENTRYPOINT)\b/i,
  'relative-copy-workdir': /^(ONBUILD\s+)?(COPY|ADD)\b/i,
  'no-secrets': /^(ONBUILD\s+)?(ENV|ARG)\b/i,
};
const RUN_LINE = /^(ONBUILD\s+)?RUN\b/i;

async function expectVerdict(rule: DockerfileRule, text: string, caught: boolean): Promise<void> {
  const dockerfile = withFrom(text);
  const result = await checkRule(rule, {
    dockerfile: parseDockerfile(dockerfile, 'Dockerfile'),
    repoDir: '/nonexistent',
    dockerfilePath: 'Dockerfile',
    contextPath: '.',
    buildArgs: {},
  });
  expect(result.passed, `${result.message}\n---\n${dockerfile}`).toBe(!caught);
  if (!caught) {
    expect(result.locations).toEqual([]);
    return;
  }
  // A failure names the lines of the instructions it judges, in its locations and in its message.
  const fileLines = dockerfile.split('\n');
  expect(result.locations.length).toBeGreaterThan(0);
  for (const location of result.locations) {
    expect(location.path).toBe('Dockerfile');
    expect(fileLines[location.line - 1], `line ${location.line}`).toMatch(POINTS_AT[rule] ?? RUN_LINE);
    expect(result.message).toContain(String(location.line));
  }
}

for (const { dl, rule, cases } of SUITES) {
  describe(`${rule} follows hadolint ${dl}`, () => {
    for (const c of cases) {
      const expected = c.differs?.catches ?? c.catches;
      const label = c.differs?.catches !== undefined ? ` (hadolint: ${c.catches ? 'catches' : 'passes'}; ${c.differs.why})` : '';
      it(`${dl} ${c.name}: ${expected ? 'fails' : 'passes'}${label}`, async () => {
        await expectVerdict(rule, c.dockerfile, expected);
      });
      if (c.onbuild === undefined) continue;
      const onbuild = c.differs?.onbuild ?? c.onbuild;
      const onbuildLabel = c.differs?.onbuild !== undefined ? ` (hadolint: ${c.onbuild ? 'catches' : 'passes'}; ${c.differs.why})` : '';
      it(`${dl} ${c.name}, under ONBUILD: ${onbuild ? 'fails' : 'passes'}${onbuildLabel}`, async () => {
        await expectVerdict(rule, underOnbuild(c.onbuildDockerfile ?? c.dockerfile), onbuild);
      });
    }
  });
}

it('ports every rule the issue names', () => {
  const ported = new Set(SUITES.map((s) => s.rule));
  for (const rule of [
    'apt-cleanup',
    'no-secrets',
    'no-cd',
    'no-sudo',
    'no-install-recommends',
    'apk-no-cache',
    'pip-no-cache',
    'pipefail',
    'single-cmd',
    'relative-copy-workdir',
    'pinned-packages',
  ] as const) {
    expect(ported.has(rule), rule).toBe(true);
  }
});
