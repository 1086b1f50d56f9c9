/** Every check kind and its probe; the type makes the compiler prove each kind is handled. */
import type { Check } from '../rubric/model.js';
import type { Probe, ProbeRegistry } from './probe.js';
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

/** Method bivariance lets each kind's probe stand for the general one; the registry's type proves the kind matches. */
export function probeFor(check: Check): Probe {
  return probes[check.spec.kind];
}

/** A check's time limit: its own `timeout`, or its probe's default; once per request for a check made of several. */
export function timeLimitMs(check: Check): number {
  const probe = probeFor(check);
  return (check.timeoutMs ?? probe.defaultTimeoutMs) * (probe.timeLimits?.(check.spec) ?? 1);
}
