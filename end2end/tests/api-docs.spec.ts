import { expect } from '@playwright/test';
import { test } from './helpers';

// The REST API's reference (SPEC §11): rendered from /api/openapi.json on our own server, with
// our stylesheet and no script, readable by anyone, listing every operation of the document.
test('the API reference renders and lists every operation of the OpenAPI document', async ({
  page,
  request,
}) => {
  const served = await request.get('/api/openapi.json');
  expect(served.status()).toBe(200);
  const doc = await served.json();
  expect(doc.openapi).toBe('3.1.0');

  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  const response = await page.goto('/api/docs');
  expect(response!.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: doc.info.title })).toBeVisible();
  // Styled by our own stylesheet: the page is not the browser's default white.
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
  expect(background).not.toBe('rgb(255, 255, 255)');

  // Every operation of the document has its section, headed by its method and path, with
  // its responses (read in one pass: 30-odd sections).
  const shown = await page.locator('article[data-operation]').evaluateAll((articles) =>
    articles.map((a) => ({
      id: a.getAttribute('data-operation'),
      heading: a.querySelector('h3')?.textContent?.replace(/\s+/g, ' ').trim().toLowerCase(),
      responses: a.querySelector('table[aria-label^="Responses of"]') !== null,
    })),
  );
  let operations = 0;
  for (const [path, item] of Object.entries<Record<string, { operationId: string }>>(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      expect(shown).toContainEqual({
        id: op.operationId,
        heading: `${method} ${path}`.toLowerCase(),
        responses: true,
      });
      operations += 1;
    }
  }
  expect(operations).toBeGreaterThanOrEqual(25);
  // The contents link to each section; a schema reference links to the schema.
  await page.getByRole('navigation', { name: 'Contents' }).getByRole('link', { name: /\/api\/v1\/sessions\/\{id\}\/psa\/notes/ }).click();
  await expect(page).toHaveURL(/#postApiV1SessionsIdPsaNotes$/);
  const notes = page.locator('article[data-operation="postApiV1SessionsIdPsaNotes"]');
  await notes.getByRole('link', { name: 'PushOut' }).first().click();
  await expect(page).toHaveURL(/#schema-PushOut$/);
  await expect(page.getByRole('table', { name: 'Properties of PushOut' })).toContainText('push_id');
  // Nothing from anywhere else.
  const origin = new URL(page.url()).origin;
  expect(requested.filter((url) => !url.startsWith(origin))).toEqual([]);
});
