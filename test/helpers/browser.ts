/**
 * A real headless Chromium for tests, driven over the DevTools protocol with Node's own
 * WebSocket. A page records every console error, uncaught exception, error log entry,
 * content-security-policy violation and JavaScript dialog in `problems`. Every wait is bounded; `close()` always
 * ends the browser (its whole process group) and removes its profile folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const EXECUTABLES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export const CHROMIUM_MISSING =
  `No Chromium found on PATH (looked for ${EXECUTABLES.join(', ')}). ` +
  'The dashboard tests need a real browser: run `bash scripts/ensure-chromium.sh` to install it.';

const LAUNCH_TIMEOUT_MS = 30_000;
const COMMAND_TIMEOUT_MS = 15_000;
const CLOSE_TIMEOUT_MS = 5_000;

/** Everything that keeps Chromium quiet: no first-run screens, no background traffic, no updates. */
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--remote-debugging-port=0',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-extensions',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--no-pings',
  '--mute-audio',
  '--hide-scrollbars',
];

/** The first of the known Chromium executables on PATH. */
export async function findChromium(): Promise<string | undefined> {
  const dirs = (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  for (const name of EXECUTABLES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface Page {
  /** Console errors, uncaught exceptions, error log entries, CSP violations and dialogs (alert…), in order. */
  readonly problems: string[];
  /** Opens the URL and waits for its load event. */
  goto(url: string): Promise<void>;
  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls until the expression is truthy. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** A real mouse click in the middle of the element, which must not be covered by another. */
  click(selector: string): Promise<void>;
  /** Focuses the field, selects what is in it and types over it. */
  fill(selector: string, text: string): Promise<void>;
  /** Picks an option of a select element as a user would, firing `change`. */
  select(selector: string, value: string): Promise<void>;
  /** Lays the page out for a window of that size (CSS pixels, scale 1). */
  setViewport(width: number, height: number): Promise<void>;
  /** A PNG of what the viewport shows. */
  screenshot(): Promise<Buffer>;
}

export async function launchBrowser(): Promise<Browser> {
  const executable = await findChromium();
  if (executable === undefined) throw new Error(CHROMIUM_MISSING);
  const profile = await mkdtemp(path.join(tmpdir(), 'grader-chromium-'));
  const child = spawn(executable, [...FLAGS, `--user-data-dir=${profile}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stderr = capped(child);
  try {
    const url = await devToolsUrl(child, stderr, exited);
    const cdp = await Cdp.connect(url);
    return new ChromiumBrowser(child, exited, profile, cdp);
  } catch (error) {
    await stop(child, exited);
    await rm(profile, { recursive: true, force: true, maxRetries: 5 });
    throw error;
  }
}

/** Keeps reading stderr (so Chromium never blocks on a full pipe), holding the last 16 KiB. */
function capped(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    out.text = (out.text + chunk).slice(-16_384);
  });
  return out;
}

function devToolsUrl(child: ChildProcess, stderr: { text: string }, exited: Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`Chromium did not open DevTools within ${LAUNCH_TIMEOUT_MS} ms:\n${stderr.text}`)),
      LAUNCH_TIMEOUT_MS,
    );
    const onData = () => {
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr.text);
      if (match) finish(match[1]!);
    };
    const finish = (outcome: string | Error) => {
      clearTimeout(timer);
      child.stderr!.off('data', onData);
      if (typeof outcome === 'string') resolve(outcome);
      else reject(outcome);
    };
    child.stderr!.on('data', onData);
    void exited.then(() => finish(new Error(`Chromium exited before opening DevTools:\n${stderr.text}`)));
  });
}

/** Ends the browser and every process it started (it leads its own process group). */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    await exited;
  }
  try {
    process.kill(-child.pid!, 'SIGKILL'); // helpers (renderer, zygote) that outlived the main process
  } catch {
    // none left
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

/** One DevTools connection: commands with ids and timeouts, events to listeners. */
class Cdp {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (message) => this.receive(String(message.data)));
    socket.addEventListener('close', () => {
      for (const { reject } of this.pending.values()) reject(new Error('the DevTools connection closed'));
      this.pending.clear();
    });
  }

  static async connect(url: string): Promise<Cdp> {
    const socket = new WebSocket(url);
    await within(
      new Promise<void>((resolve, reject) => {
        socket.addEventListener('open', () => resolve(), { once: true });
        socket.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
      }),
      LAUNCH_TIMEOUT_MS,
      'connecting to DevTools',
    );
    return new Cdp(socket);
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    const reply = new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) }));
    return within(reply, COMMAND_TIMEOUT_MS, method).finally(() => this.pending.delete(id));
  }

  on(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.close();
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as { id?: number; result?: unknown; error?: { message: string } } & Partial<CdpEvent>;
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    } else if (message.method !== undefined) {
      for (const listener of this.listeners) listener(message as CdpEvent);
    }
  }
}

class ChromiumBrowser implements Browser {
  private closed = false;

  constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly profile: string,
    private readonly cdp: Cdp,
  ) {}

  async newPage(): Promise<Page> {
    const { targetId } = await this.cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const page = new ChromiumPage(this.cdp, sessionId);
    await page.start();
    return page;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await within(this.cdp.send('Browser.close'), CLOSE_TIMEOUT_MS, 'Browser.close');
      await within(this.exited, CLOSE_TIMEOUT_MS, 'Chromium exiting');
    } catch {
      // killed below
    }
    this.cdp.close();
    await stop(this.child, this.exited);
    await rm(this.profile, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Reports CSP violations through a binding, whatever the page does with its console. */
const VIOLATION_BINDING = '__graderTestReportViolation';
const WATCH_VIOLATIONS = `document.addEventListener('securitypolicyviolation', (e) =>
  ${VIOLATION_BINDING}(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at line ' + e.lineNumber));`;

class ChromiumPage implements Page {
  readonly problems: string[] = [];

  constructor(
    private readonly cdp: Cdp,
    private readonly sessionId: string,
  ) {
    cdp.on((event) => {
      if (event.sessionId === sessionId) this.record(event);
    });
  }

  async start(): Promise<void> {
    for (const domain of ['Page', 'Runtime', 'Log']) await this.send(`${domain}.enable`);
    await this.send('Runtime.addBinding', { name: VIOLATION_BINDING });
    await this.send('Page.addScriptToEvaluateOnNewDocument', { source: WATCH_VIOLATIONS });
  }

  async goto(url: string): Promise<void> {
    const loaded = this.next('Page.loadEventFired');
    const { errorText } = await this.send<{ errorText?: string }>('Page.navigate', { url });
    if (errorText) throw new Error(`cannot open ${url}: ${errorText}`);
    await loaded;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (reply.exceptionDetails) {
      throw new Error(`in the page: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`);
    }
    return reply.result.value as T;
  }

  async waitFor(expression: string, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() > until) {
        const problems = this.problems.length > 0 ? `; the page reported:\n${this.problems.join('\n')}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression}${problems}`);
      }
      await this.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))');
    }
  }

  async click(selector: string): Promise<void> {
    const point = await this.evaluate<{ x: number; y: number; covered: boolean } | null>(`(() => {
      const target = document.querySelector(${JSON.stringify(selector)});
      if (!target) return null;
      target.scrollIntoView({ block: 'center', inline: 'center' });
      const box = target.getBoundingClientRect();
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const hit = document.elementFromPoint(x, y);
      return { x, y, covered: !hit || !(target === hit || target.contains(hit)) };
    })()`);
    if (point === null) throw new Error(`no element matches ${selector}`);
    if (point.covered) throw new Error(`${selector} is covered by another element`);
    const mouse = { x: point.x, y: point.y, button: 'left', clickCount: 1 };
    await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: point.x, y: point.y });
    await this.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...mouse });
    await this.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...mouse });
  }

  async fill(selector: string, text: string): Promise<void> {
    const found = await this.evaluate<boolean>(`(() => {
      const field = document.querySelector(${JSON.stringify(selector)});
      if (!field) return false;
      field.focus();
      field.select();
      return true;
    })()`);
    if (!found) throw new Error(`no element matches ${selector}`);
    if (text !== '') {
      await this.send('Input.insertText', { text });
      return;
    }
    const backspace = { key: 'Backspace', code: 'Backspace', windowsVirtualKeyCode: 8 };
    await this.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...backspace });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...backspace });
  }

  async select(selector: string, value: string): Promise<void> {
    const found = await this.evaluate<boolean>(`(() => {
      const field = document.querySelector(${JSON.stringify(selector)});
      if (!field) return false;
      field.value = ${JSON.stringify(value)};
      field.dispatchEvent(new Event('input', { bubbles: true }));
      field.dispatchEvent(new Event('change', { bubbles: true }));
      return field.value === ${JSON.stringify(value)};
    })()`);
    if (!found) throw new Error(`no option ${value} in ${selector}`);
  }

  async setViewport(width: number, height: number): Promise<void> {
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
  }

  async screenshot(): Promise<Buffer> {
    const { data } = await this.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
    return Buffer.from(data, 'base64');
  }

  private send<T = Record<string, unknown>>(method: string, params: object = {}): Promise<T> {
    return this.cdp.send<T>(method, params, this.sessionId);
  }

  private next(method: string): Promise<void> {
    let off = () => {};
    const seen = new Promise<void>((resolve) => {
      off = this.cdp.on((event) => {
        if (event.sessionId === this.sessionId && event.method === method) resolve();
      });
    });
    return within(seen, COMMAND_TIMEOUT_MS, `waiting for ${method}`).finally(off);
  }

  private record(event: CdpEvent): void {
    const p = event.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- protocol payloads
    switch (event.method) {
      case 'Runtime.consoleAPICalled':
        if (p['type'] === 'error' || p['type'] === 'assert') {
          const args = (p['args'] as { value?: unknown; description?: string }[]).map((a) => a.description ?? String(a.value));
          this.problems.push(`console.${p['type']}: ${args.join(' ')}`);
        }
        break;
      case 'Runtime.exceptionThrown':
        this.problems.push(`exception: ${p['exceptionDetails']?.exception?.description ?? p['exceptionDetails']?.text}`);
        break;
      case 'Log.entryAdded':
        if (p['entry']?.level === 'error') this.problems.push(`log (${p['entry'].source}): ${p['entry'].text}`);
        break;
      case 'Page.javascriptDialogOpening':
        // alert(), confirm() and prompt() block the page until answered.
        this.problems.push(`dialog (${p['type']}): ${p['message']}`);
        void this.send('Page.handleJavaScriptDialog', { accept: false }).catch(() => {});
        break;
      case 'Runtime.bindingCalled':
        if (p['name'] === VIOLATION_BINDING) this.problems.push(`CSP violation: ${p['payload']}`);
        break;
    }
  }
}
