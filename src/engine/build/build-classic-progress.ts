/**
 * Reads the classic builder's stream: `Step N/M : INSTRUCTION` lines open a step,
 * everything printed until the next one is that step's output, and an `error` event
 * ends the build with the step that was running.
 */
import { BuildLineSplitter, LineTail, auxImageId, eventError } from './build-log.js';
import type { BuildProgress, BuildStreamEvent, BuildStreamSummary, BuildTranscript } from './build-log.js';

const STEP_LINE = /^Step (\d+)\/\d+ : (.*)$/;
/** The builder's own chatter between a step's output lines. */
const BUILDER_CHATTER = /^( ---> |Removing intermediate container |Successfully (built|tagged) )/;

interface ClassicStep {
  number: number;
  instruction: string;
  tail: LineTail;
}

export class ClassicProgress implements BuildProgress {
  private readonly splitter = new BuildLineSplitter();
  private step: ClassicStep | undefined;
  private imageId: string | undefined;
  private error: string | undefined;

  constructor(private readonly transcript: BuildTranscript) {}

  accept(event: BuildStreamEvent): void {
    if (typeof event.stream === 'string') {
      for (const line of this.splitter.push(event.stream)) this.onLine(line);
    }
    if (typeof event.status === 'string') {
      this.flush();
      this.transcript.line(event.id ? `${event.id}: ${event.status}` : event.status);
    }
    this.imageId = auxImageId(event) ?? this.imageId;
    const error = eventError(event);
    if (error !== undefined) {
      this.flush();
      this.error = error;
      this.transcript.line(`ERROR: ${error}`);
    }
  }

  finish(): BuildStreamSummary {
    this.flush();
    const failed = this.error !== undefined && this.step !== undefined;
    return {
      imageId: this.imageId,
      error: this.error,
      failingStep: failed ? this.step?.instruction : undefined,
      stepNumber: failed ? this.step?.number : undefined,
      stepTail: failed ? (this.step?.tail.text() ?? '') : '',
      logTail: this.transcript.tailText(),
    };
  }

  private flush(): void {
    for (const line of this.splitter.flush()) this.onLine(line);
  }

  private onLine(raw: string): void {
    const line = this.transcript.line(raw);
    const step = STEP_LINE.exec(line);
    if (step) {
      this.step = { number: Number(step[1]), instruction: step[2] ?? '', tail: new LineTail() };
    } else if (this.step && !BUILDER_CHATTER.test(line)) {
      this.step.tail.push(line);
    }
  }
}
