/** The action's entry: the same bundle runs as the main step and as the post (clean-up) step. */
import { isPostStep } from './action/state.js';
import { post } from './action/post.js';
import { run } from './action/run.js';

await (isPostStep() ? post() : run());
// Done: exit with the code core.setFailed chose, without waiting for idle keep-alive sockets.
process.exit();
