// Runs Lighthouse on many pages with one Chromium and one Node process,
// for TestLighthouse: starting both for every page cost more than
// checking it. Usage: node lighthouse.mjs DIR JOBS
//   DIR   the folder Lighthouse 12 is installed in (npm install --prefix DIR lighthouse@12)
//   JOBS  a JSON file: [{"url": ..., "cookie": ..., "categories": [...]}, ...]
// Prints one JSON line per page: the parts of Lighthouse's report the
// test reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, jobsFile] = process.argv.slice(2);
const mod = (p) => import(pathToFileURL(join(dir, 'node_modules', p)).href);
const lighthouse = (await mod('lighthouse/core/index.js')).default;
const launcher = await mod('chrome-launcher/dist/index.js');
const jobs = JSON.parse(readFileSync(jobsFile, 'utf8'));

const chrome = await launcher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic'],
});
try {
  for (const job of jobs) {
    const timed = job.categories.includes('performance');
    const run = await lighthouse(job.url, {
      port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: job.categories, extraHeaders: { Cookie: job.cookie },
      // The full-page screenshot is for people reading a report; the
      // test reads scores. Without the performance category nothing is
      // timed, and the page is audited half a second after it and the
      // network are quiet instead of a second (the page's live-update
      // stream stays open, so "quiet" means nothing else is loading).
      disableFullPageScreenshot: true,
      ...(timed ? {} : { pauseAfterFcpMs: 500, pauseAfterLoadMs: 500, networkQuietThresholdMs: 500, cpuQuietThresholdMs: 500 }),
    });
    const r = run.lhr;
    const categories = {};
    const audits = {};
    for (const [id, c] of Object.entries(r.categories)) {
      categories[id] = { score: c.score, auditRefs: c.auditRefs.map((a) => ({ id: a.id, weight: a.weight })) };
      for (const a of c.auditRefs) {
        const au = r.audits[a.id];
        if (au) audits[a.id] = { title: au.title, score: au.score, scoreDisplayMode: au.scoreDisplayMode };
      }
    }
    process.stdout.write(JSON.stringify({
      url: job.url, finalDisplayedUrl: r.finalDisplayedUrl, runtimeError: r.runtimeError ?? null, categories, audits,
    }) + '\n');
  }
} finally {
  await chrome.kill();
}
