/** Where a generator's output goes: stdout (`--stdout`), a staleness check (`--check`), or the file itself. */
import { readFileSync, writeFileSync } from 'node:fs';

export function emitGenerated(outputPath, generated, mode) {
  if (mode === '--stdout') {
    process.stdout.write(generated);
    return;
  }
  if (mode === '--check') {
    let current = '';
    try {
      current = readFileSync(outputPath, 'utf8');
    } catch {
      // a missing file is stale too
    }
    if (current !== generated) {
      console.error(`${outputPath} is stale: run \`npm run gen:types\`.`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(outputPath, generated);
  console.log(`wrote ${outputPath}`);
}
