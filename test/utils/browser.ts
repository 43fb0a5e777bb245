import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContextOptions, chromium, Page } from 'playwright-core';
import { TestApp } from './test-app';

/**
 * The browser specs' common harness: Debian's Chromium driven by playwright-core (Playwright's own browser
 * download cannot work here), signing in as a demo person, axe-core, sideways scrolling and screenshots.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
export const SCREENSHOTS = join(ARTIFACTS, 'screenshots');

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 800 };
/** The phone's width at the desktop's height, as the older specs photograph a phone. */
export const PHONE_AT_DESKTOP_HEIGHT = { width: 375, height: 900 };

export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const WCAG_22_AA = [...WCAG_21_AA, 'wcag22aa'];

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;
if (!existsSync(CHROMIUM)) console.warn(`Browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with: apt-get install chromium (CI does).`);

/** Chromium without the sandbox and without anything that calls home; `extraArgs` as a spec needs them. */
export function launchChromium(...extraArgs: string[]): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Serves the test app on a free local port, for the browser; answers its base URL. */
export async function serveOnFreePort(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return t.app.getUrl();
}

/** The test app served on a free local port, and Chromium to open it with. */
export async function serveAndLaunchChromium(t: TestApp): Promise<{ base: string; browser: Browser }> {
  const base = await serveOnFreePort(t);
  return { base, browser: await launchChromium() };
}

/** For afterAll: closes what beforeAll got as far as starting. */
export async function closeBrowserAndApp(browser: Browser | undefined, t: TestApp | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
}

/** A page in a fresh browser context: bokmål, desktop size, unless `options` say otherwise. */
export async function openPage(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<Page> {
  // bypassCSP only so that the test can inject axe-core; the pages themselves carry no inline script.
  const context = await browser.newContext({ baseURL, bypassCSP: true, locale: 'nb-NO', viewport: DESKTOP, ...options });
  return context.newPage();
}

/** Where signing in starts and ends, and what its button says. */
export interface SignInRoute {
  /** The page opened first: it sends one to sign in (or is the sign-in page). */
  open?: string;
  /** Where one lands when signed in. */
  landOn?: string;
  button?: string;
}

/** Signs in as the demo person whose name is on the sign-in page. */
export async function signIn(page: Page, name: string, { open = '/oppgaver', landOn = '/oppgaver', button = 'Logg inn' }: SignInRoute = {}): Promise<void> {
  await page.goto(open);
  await page.getByLabel(new RegExp(name)).check();
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL(`**${landOn}`);
}

/** A fresh page (see openPage) signed in as the demo person. */
export async function signedIn(browser: Browser, baseURL: string, name: string, { open, landOn, button, ...options }: BrowserContextOptions & SignInRoute = {}): Promise<Page> {
  const page = await openPage(browser, baseURL, options);
  await signIn(page, name, { open, landOn, button });
  return page;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  /** The first three places it was found. */
  targets: unknown[];
}

/** axe-core's violations of the given WCAG tags on the page as it stands. */
export async function axeViolations(page: Page, tags = WCAG_21_AA): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  return page.evaluate(async (values) => {
    type Found = { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> };
    const axe = (globalThis as unknown as { axe: { run: (o: object) => Promise<Found> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target) }));
  }, tags);
}

/** The serious and critical WCAG 2.1 A/AA violations: those the specs hold every page to. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  return (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function expectNoSeriousAxeViolations(page: Page, name: string): Promise<void> {
  expect({ page: name, violations: await seriousAxeViolations(page) }).toEqual({ page: name, violations: [] });
}

/**
 * How far the page reaches past the screen's right edge, with the first elements that stick out; null
 * when it fits. (Headless Chromium hides scrollbars, so the window's width is the page's.)
 */
export async function sidewaysOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; wide: string[] } | null> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth) return null;
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && el.getClientRects().length > 0)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide };
  });
}

export async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  expect({ page: name, sideways: await sidewaysOverflow(page) }).toEqual({ page: name, sideways: null });
}

/** Where a screenshot called `name` is kept (Playwright makes the folder). */
export function screenshotPath(name: string): string {
  return join(SCREENSHOTS, `${name}.png`);
}

/** The whole page, kept as test-artifacts/screenshots/`name`.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

/** Runs `visit` with the page at each size in turn, and leaves the page at the desktop size. */
export async function atEachSize(page: Page, sizes: Array<{ width: number; height: number }>, visit: (width: number) => Promise<void>): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    await visit(size.width);
  }
  await page.setViewportSize(DESKTOP);
}

/** No serious axe-core finding, and the page kept as `name`.png. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await expectNoSeriousAxeViolations(page, name);
  await screenshot(page, name);
}

/** No serious axe-core finding, nothing scrolls sideways, and the page kept as `name`.png. */
export async function expectAccessibleAndNoSidewaysScroll(page: Page, name: string): Promise<void> {
  await expectNoSeriousAxeViolations(page, name);
  await expectNoSidewaysScroll(page, name);
  await screenshot(page, name);
}

/** At 1280 and 375 px (900 high): no serious axe-core finding, nothing wider than the phone, and `name`-width.png. */
export async function expectAccessibleOnDesktopAndPhone(page: Page, name: string): Promise<void> {
  await atEachSize(page, [DESKTOP, PHONE_AT_DESKTOP_HEIGHT], async (width) => {
    await expectNoSeriousAxeViolations(page, `${name}-${width}`);
    if (width === PHONE_AT_DESKTOP_HEIGHT.width) await expectNoSidewaysScroll(page, `${name}-${width}`);
    await screenshot(page, `${name}-${width}`);
  });
}

/** Screenshots `name`-width.png at each size. */
export async function screenshotsAt(page: Page, name: string, sizes: Array<{ width: number; height: number }>): Promise<void> {
  await atEachSize(page, sizes, (width) => screenshot(page, `${name}-${width}`));
}

/** What is wrong with the page at its present size: sideways scrolling, and any axe-core violation of WCAG 2.2 AA. */
export async function layoutProblems(page: Page): Promise<unknown[]> {
  const problems: unknown[] = [];
  const sideways = await sidewaysOverflow(page);
  if (sideways) problems.push({ sideways });
  const violations = await axeViolations(page, WCAG_22_AA);
  if (violations.length) problems.push({ violations });
  return problems;
}

/**
 * Opens `path` (expecting `status`) and gathers what `problemsAt` finds at 1280 × 900 and 375 × 800, by
 * `name`-width; empty when all is well. The page is left at the desktop size.
 */
export async function problemsOnDesktopAndPhone(
  page: Page,
  name: string,
  path: string,
  problemsAt: (width: number) => Promise<unknown[]>,
  status = 200,
): Promise<Record<string, unknown[]>> {
  const response = await page.goto(path);
  expect({ name, status: response?.status() }).toEqual({ name, status });
  const found: Record<string, unknown[]> = {};
  await atEachSize(page, [DESKTOP, PHONE], async (width) => {
    const problems = await problemsAt(width);
    if (problems.length) found[`${name}-${width}`] = problems;
  });
  return found;
}
