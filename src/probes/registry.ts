/** Every check kind and its probe; the type makes the compiler prove each kind is handled. */
import type { ProbeRegistry } from './probe.js';
import { buildProbe } from './kinds/build.js';
import { dockerfileProbe } from './kinds/dockerfile.js';
import { execProbe } from './kinds/exec.js';
import { fileProbe } from './kinds/file.js';
import { httpProbe } from './kinds/http.js';
import { imageProbe } from './kinds/image.js';
import { logsProbe } from './kinds/logs.js';
import { runProbe } from './kinds/run.js';
import { stopProbe } from './kinds/stop.js';
import { tcpProbe } from './kinds/tcp.js';

export const probes: ProbeRegistry = {
  file: fileProbe,
  dockerfile: dockerfileProbe,
  build: buildProbe,
  image: imageProbe,
  http: httpProbe,
  tcp: tcpProbe,
  exec: execProbe,
  run: runProbe,
  logs: logsProbe,
  stop: stopProbe,
};
