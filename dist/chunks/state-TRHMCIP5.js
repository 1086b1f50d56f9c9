import { createRequire as __graderCreateRequire } from 'node:module';
import { fileURLToPath as __graderFileURLToPath } from 'node:url';
import { dirname as __graderDirname } from 'node:path';
const require = __graderCreateRequire(import.meta.url);
const __filename = __graderFileURLToPath(import.meta.url);
const __dirname = __graderDirname(__filename);
import {
  STATE,
  isPostStep
} from "./chunk-3EYALNUC.js";
import "./chunk-LGV4N2VW.js";
export {
  STATE,
  isPostStep
};
