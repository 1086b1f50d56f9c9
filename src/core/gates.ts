/**
 * What the image and service stages offer their checks: the image once it is built and
 * usable, the service once it is ready; otherwise why not, for the checks that need it.
 */
import { t } from '../basics/i18n/catalogue.js';
import type { Logger } from '../basics/logger.js';
import type { BuildOutcome } from '../engine/engine.js';
import { describeBuildFailure, imageTooLarge } from '../probes/kinds/build.js';
import type { Stage, StageContext } from '../probes/probe.js';
import type { Gate } from './scheduler.js';
import { startServiceAndWait } from './service-start.js';

const IMAGE_NEEDING: readonly Stage[] = ['image', 'service'];
const SERVICE_NEEDING: readonly Stage[] = ['service'];

export async function imageGate(base: StageContext, build: BuildOutcome): Promise<Gate> {
  if (!build.ok) {
    const reason = t('core.gate.image_not_built', { reason: describeBuildFailure(build, base.dockerfile) });
    return { ctx: { ...base, build }, unavailable: { reason, kinds: IMAGE_NEEDING } };
  }
  const info = await base.engine.inspectImage(build.imageId);
  const ctx: StageContext = { ...base, build, image: { ref: build.imageId, info } };
  const tooLarge = imageTooLarge(info);
  if (tooLarge) return { ctx, unavailable: { reason: t('core.gate.image_not_built', { reason: tooLarge }), kinds: IMAGE_NEEDING } };
  return { ctx };
}

export async function serviceGate(image: Promise<Gate>, logger: Logger): Promise<Gate> {
  const gate = await image;
  const { ctx } = gate;
  if (gate.unavailable || !ctx.image) return gate;
  if (ctx.signal.aborted) return { ctx, unavailable: { reason: t('core.gate.interrupted'), kinds: SERVICE_NEEDING } };
  const { info } = ctx.image;
  const start = await logger.group('Starting the service', () => startServiceAndWait(ctx.engine, info, ctx.rubric, ctx.labels, ctx.signal));
  if (!start.ready) return { ctx, unavailable: { reason: start.message, output: start.logTail, kinds: SERVICE_NEEDING, asFailure: true } };
  return { ctx: { ...ctx, service: { handle: start.service, defaultPort: start.port } }, ...(start.note ? { note: start.note } : {}) };
}
