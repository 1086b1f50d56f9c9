/** The action's entry: the same bundle runs as the main step and as the post (clean-up) step. */
import { enableCompileCache } from './compile-cache.js';

// Before the rest of the action is loaded, so that its compiled code can come from the cache.
enableCompileCache();
const { isPostStep } = await import('./action/state.js');
await (isPostStep() ? (await import('./action/post.js')).post() : (await import('./action/run.js')).run());
// Done: exit with the code core.setFailed chose, without waiting for idle keep-alive sockets.
process.exit();
