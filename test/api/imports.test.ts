import { randomUUID } from 'node:crypto';
import { readSheet } from 'read-excel-file/node';
import { Guide, Senior } from '../../src/db/entities';
import { xlsxOf } from '../../src/reports/files';
import type { TestApp } from '../support/app';
import { snapshot } from '../support/snapshot';
import { useWorld, type World } from '../support/world';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const GUIDE_HEADINGS = ['Namn', 'E-post', 'Telefon', 'Plattformar', 'Språk', 'Kan hjälpa med', 'Timmar per vecka'];
const SENIOR_HEADINGS = ['Namn', 'Telefon', 'Enheter', 'Vill ha hjälp med', 'Ålder', 'Samtycke datum', 'Samtycke hur'];

/** Lists in and out: the file is read whole, every problem named, and nothing written until it is right. */
describe('Importing and exporting guides and seniors', () => {
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });
  const base = () => `/api/v1/municipalities/${world.municipality.id}`;
  const send = (path: string, body: Buffer | string, type: string) =>
    t
      .http()
      .post(`${base()}${path}`)
      .set('Content-Type', type)
      .send(Buffer.isBuffer(body) ? body : Buffer.from(body));
  const withContract = async () => {
    await t.services.organisations.createContract({
      municipalityId: world.municipality.id,
      associationId: world.association.id,
      startsOn: '2026-01-01',
      endsOn: '2028-12-31',
      reportingPeriod: 'month',
    });
  };

  it('previews an Excel file of guides with a problem (named by row and column), refuses it, then imports it fixed, once', async () => {
    await withContract();
    const rows = [
      ['Amina Ali', 'amina@example.org', '+46 70-111 22 33', 'iPhone, Android', 'arabiska, engelska', 'BankID', '6'],
      ['Yonas Tesfay', 'yonas@example.org', '', 'Nokia', 'tigrinja', '', '4'],
      ['Sara Ahmadi', 'SARA@example.org', '0701112235', 'Windows; Mac', 'dari', 'bank och Swish, 1177', '5,5'],
    ];
    const before = await snapshot(t.dataSource);
    const file = await xlsxOf({ headers: GUIDE_HEADINGS, rows });
    const preview = await send('/imports/guides/preview', file, XLSX).expect(200);
    expect(preview.body).toEqual({
      rows: 3,
      created: 2,
      updated: 0,
      skipped: 1,
      problems: [{ row: 3, column: 'Plattformar', code: 'unknown_word', value: 'Nokia' }],
    });
    const refused = await send('/imports/guides', file, XLSX).expect(422);
    expect(refused.body.error.code).toBe('import_has_problems');
    expect(await snapshot(t.dataSource)).toEqual(before);

    rows[1][3] = 'iPhone';
    const fixed = await xlsxOf({ headers: GUIDE_HEADINGS, rows });
    const progress = randomUUID();
    const done = await send(`/imports/guides?progress=${progress}`, fixed, XLSX).expect(200);
    expect(done.body).toMatchObject({ rows: 3, created: 3, updated: 0, skipped: 0, problems: [] });
    const sara = await t.dataSource
      .getRepository(Guide)
      .findOneOrFail({ where: { email: 'sara@example.org' }, relations: { platforms: true, languages: true } });
    expect(sara).toMatchObject({
      phone: '070-111 22 35',
      topics: ['banking_swish', 'e_health'],
      maxMinutesPerWeek: 330,
    });
    expect(sara.platforms.map((p) => p.platform).sort()).toEqual(['macos', 'windows']);
    await t.http().get(`/api/v1/imports/progress/${progress}`).expect(404); // done: nothing running

    // The same file again creates no one twice; a changed row updates that guide only.
    const again = await send('/imports/guides', fixed, XLSX).expect(200);
    expect(again.body).toMatchObject({ created: 0, updated: 0, skipped: 3 });
    rows[0][6] = '8';
    const changed = await send('/imports/guides', await xlsxOf({ headers: GUIDE_HEADINGS, rows }), XLSX).expect(200);
    expect(changed.body).toMatchObject({ created: 0, updated: 1, skipped: 2 });
    expect(await t.dataSource.getRepository(Guide).count()).toBe(3);
  });

  it('reads a Latin-1 CSV with semicolons from an old Excel, phone numbers in many shapes, and finds duplicates', async () => {
    const csv = [
      SENIOR_HEADINGS.join(';'),
      'Birgitta;+46 70-111 22 33;iPhone, iPad;BankID;75+;2026-11-02;muntligt',
      'Gösta;0046701112234;Android surfplatta;1177;65-74;2026-11-03;papper',
      'Åsa;070 111 22 35;Windows;;under 65;3/11/2026;',
      'Märta;(070) 1112236;;;;2026-11-04;',
      'Birgitta;070-111 22 33;iPhone, iPad;BankID;75+;2026-11-02;muntligt',
      'Gun;070 1112236;Mac;;;2026-11-05;',
    ].join('\r\n');
    const latin1 = Buffer.from(csv, 'latin1');
    const preview = await send('/imports/seniors/preview', latin1, 'text/csv').expect(200);
    // Row 6 repeats row 2 exactly (skipped); row 7 has Märta's phone with other data (a problem).
    expect(preview.body.problems).toEqual([{ row: 7, column: 'Telefon', code: 'duplicate', value: '5' }]);
    const withoutGun = Buffer.from(csv.split('\r\n').slice(0, 6).join('\r\n'), 'latin1');
    const done = await send('/imports/seniors', withoutGun, 'text/csv').expect(200);
    expect(done.body).toMatchObject({ rows: 5, created: 4, skipped: 1, problems: [] });
    const seniors = await t.dataSource.getRepository(Senior).find({ order: { phone: 'ASC' } });
    expect(seniors.map((s) => `${s.displayName} ${s.phone}`)).toEqual([
      'Birgitta 070-111 22 33',
      'Gösta 070-111 22 34',
      'Åsa 070-111 22 35',
      'Märta 070-111 22 36',
    ]);
    const gosta = seniors[1];
    expect(gosta).toMatchObject({
      devices: [{ platform: 'android', kind: 'tablet' }],
      ageBand: '65_74',
      consentMethod: 'paper',
    });
  });

  it.each([
    ['an empty file (no file at all, to the server)', '', 'text/csv', 400, 'validation_failed'],
    ['a heading and no rows', SENIOR_HEADINGS.join(';'), 'text/csv', 422, 'unreadable_file'],
    [
      'bytes that are no table',
      Buffer.from([0, 1, 2, 3, 0, 255, 0, 12]),
      'application/octet-stream',
      422,
      'unreadable_file',
    ],
    ['a file of 10 MB', Buffer.alloc(10 * 1024 * 1024, 'a'), 'text/csv', 413, 'payload_too_large'],
    [
      'more than 5,000 rows',
      [
        SENIOR_HEADINGS.join(';'),
        ...Array.from({ length: 5001 }, (_, i) => `S${i};070${String(i).padStart(7, '0')};;;;2026-11-01;`),
      ].join('\n'),
      'text/csv',
      422,
      'too_many_rows',
    ],
  ])('refuses %s with a clear code, writing nothing', async (_what, body, type, status, code) => {
    const before = await snapshot(t.dataSource);
    const res = await send('/imports/seniors', body, type);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await snapshot(t.dataSource)).toEqual(before);
  });

  it('names wrong columns, formulas, future consent, words it does not know and text that hides what it says', async () => {
    const csv = ['Förnamn;Mobil;Favoritfärg', 'Birgitta;070-111 22 33;blå'].join('\n');
    const wrong = await send('/imports/seniors/preview', csv, 'text/csv').expect(200);
    expect(wrong.body.problems).toEqual([
      { row: null, column: 'Favoritfärg', code: 'unknown_column' },
      { row: null, column: 'Samtycke datum', code: 'missing_column' },
    ]);
    const bad = [
      SENIOR_HEADINGS.join(';'),
      'Birgitta;070-111 22 33;"=HYPERLINK(""http://x"";""iPhone"")";;;2026-11-02;',
      'Gösta;070-111 22 34;iPhone;;;2027-01-01;',
      'Åsa;070-111 22 35;Nokia 3310;;;2026-11-02;',
      'Märta;;iPhone;;;2026-11-02;',
      // A name turned around by a direction override, one of only zero-width characters, a C1 control.
      'Ann\u202Eaknil;070-111 22 36;iPhone;;;2026-11-02;',
      '\u200B\u200D;070-111 22 37;iPhone;;;2026-11-02;',
      'Karl\u0085;070-111 22 38;iPhone;;;2026-11-02;',
    ].join('\n');
    const res = await send('/imports/seniors/preview', bad, 'text/csv');
    expect(res.body).toMatchObject({ rows: 7 });
    expect(res.body.problems).toEqual([
      { row: 2, column: 'Enheter', code: 'formula' },
      { row: 3, column: 'Samtycke datum', code: 'invalid' },
      { row: 4, column: 'Enheter', code: 'unknown_word', value: 'Nokia 3310' },
      { row: 5, column: 'Telefon', code: 'no_key' },
      { row: 6, column: 'Namn', code: 'invalid_text' },
      { row: 7, column: 'Namn', code: 'invalid_text' },
      { row: 8, column: 'Namn', code: 'invalid_text' },
    ]);
  });

  it('exports the roster as CSV and xlsx in the import’s columns, and an export imports back changing nothing', async () => {
    await withContract();
    await send(
      '/imports/guides',
      await xlsxOf({
        headers: GUIDE_HEADINGS,
        rows: [['Amina Ali', 'amina@example.org', '070-111 22 33', 'iPhone', 'arabiska', 'BankID', '6']],
      }),
      XLSX,
    ).expect(200);
    const csv = await t.http().get(`${base()}/exports/guides.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('bryggan-guider.csv');
    expect(csv.text.startsWith('\uFEFFNamn;E-post;')).toBe(true);
    expect(csv.text).toContain('Amina Ali;amina@example.org;070-111 22 33;iPhone;arabiska;BankID;B1;6;');
    const xlsx = await t
      .http()
      .get(`${base()}/exports/guides.xlsx`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(xlsx.status).toBe(200);
    const sheet = await readSheet(xlsx.body as Buffer);
    expect(sheet[1].slice(0, 2)).toEqual(['Amina Ali', 'amina@example.org']);
    const back = await send('/imports/guides', xlsx.body as Buffer, XLSX).expect(200);
    expect(back.body).toMatchObject({ created: 0, updated: 0, skipped: 1, problems: [] });
    const template = await t.http().get('/api/v1/imports/templates/seniors.csv').expect(200);
    expect(template.text.split('\r\n')[0]).toBe(
      '\uFEFFNamn;Telefon;E-post;Enheter;Vill ha hjälp med;Språk;Ålder;Samtycke datum;Samtycke hur',
    );
    // The template's example row is a row the import takes.
    const tried = await send('/imports/seniors/preview', template.text, 'text/csv').expect(200);
    expect(tried.body).toMatchObject({ rows: 1, created: 1, problems: [] });
  });

  it('reads the standing weekly times as the lists write them, keeps a term’s own times on an update, and exports them to import back', async () => {
    await withContract();
    const headers = [...GUIDE_HEADINGS, 'Kan jobba'];
    const row = ['Amina Ali', 'amina@example.org', '', 'iPhone', '', '', '6', 'tisdagar 14-17, tor 13.30–16'];
    await send('/imports/guides', await xlsxOf({ headers, rows: [row] }), XLSX).expect(200);
    const guides = await t.http().get('/api/v1/guides').expect(200);
    const amina = guides.body.items[0];
    expect(amina.availability).toEqual([
      { weekday: 'tue', start: '14:00', end: '17:00', validFrom: null, validTo: null },
      { weekday: 'thu', start: '13:30', end: '16:00', validFrom: null, validTo: null },
    ]);
    // Next term's timetable is set on her page; a new file with other standing times leaves it.
    await t
      .http()
      .put(`/api/v1/guides/${amina.id}/availability`)
      .send({
        validFrom: '2027-01-11',
        validTo: '2027-06-11',
        windows: [{ weekday: 'wed', start: '15:00', end: '18:00' }],
      })
      .expect(200);
    const same = await send('/imports/guides/preview', await xlsxOf({ headers, rows: [row] }), XLSX).expect(200);
    expect(same.body).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    const changed = await send(
      '/imports/guides',
      await xlsxOf({ headers, rows: [[...row.slice(0, 7), 'mån 9-12']] }),
      XLSX,
    ).expect(200);
    expect(changed.body).toMatchObject({ updated: 1 });
    const after = (await t.http().get(`/api/v1/guides/${amina.id}`).expect(200)).body;
    expect(after.availability).toEqual(
      expect.arrayContaining([
        { weekday: 'mon', start: '09:00', end: '12:00', validFrom: null, validTo: null },
        { weekday: 'wed', start: '15:00', end: '18:00', validFrom: '2027-01-11', validTo: '2027-06-11' },
      ]),
    );
    expect(after.availability).toHaveLength(2);
    const csv = await t.http().get(`${base()}/exports/guides.csv`).expect(200);
    expect(csv.text).toContain(';mån 09:00–12:00;');
    const back = await send('/imports/guides/preview', csv.text, 'text/csv').expect(200);
    expect(back.body).toMatchObject({ skipped: 1, problems: [] });
    // A time that is none, or a day not known, is named.
    const bad = await send(
      '/imports/guides/preview',
      await xlsxOf({
        headers,
        rows: [
          [...row.slice(0, 7), 'tis kl två'],
          [...row.slice(0, 7), 'lunch 12-13'],
        ],
      }),
      XLSX,
    ).expect(200);
    expect(bad.body.problems).toEqual([
      { row: 2, column: 'Kan jobba', code: 'unknown_word', value: 'tis kl två' },
      { row: 3, column: 'Kan jobba', code: 'unknown_word', value: 'lunch 12-13' },
    ]);
  });
});
