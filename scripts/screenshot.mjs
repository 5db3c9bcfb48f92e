// Dev helper: screenshot a URL with Debian's Chromium. Usage: node scripts/screenshot.mjs URL OUT.png [width] [dark]
import { chromium } from 'playwright-core';

const [url, out, width = '1100', scheme = 'light'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage({ viewport: { width: Number(width), height: 800 }, javaScriptEnabled: false, colorScheme: scheme });
await page.goto(url);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
