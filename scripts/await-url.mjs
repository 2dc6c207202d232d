#!/usr/bin/env node
// Playwright's second webServer: the backend has no command of its own (`yarn dev`
// starts it), so this process stands in for it. It must stay alive, or Playwright
// reports "exited early" while the backend is still booting; it fails loudly when
// the URL never answers so a crashed backend is not mistaken for a slow one.
const [url, timeoutArg = '300'] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: await-url.mjs <url> [timeout-seconds]\n');
  process.exit(2);
}
const deadline = Date.now() + Number(timeoutArg) * 1000;

async function answers() {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return response.ok;
  } catch {
    return false;
  }
}

while (!(await answers())) {
  if (Date.now() > deadline) {
    process.stderr.write(
      `await-url: ${url} did not answer within ${timeoutArg}s\n`,
    );
    process.exit(1);
  }
  await new Promise(resolve => setTimeout(resolve, 1000));
}
// Ready: idle until Playwright stops us at the end of the run.
setInterval(() => {}, 1 << 30);
