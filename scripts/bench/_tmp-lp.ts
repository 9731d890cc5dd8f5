import { generateInstance } from './matching-instances';
import { buildMilp, getHighs } from './matching-milp';
async function main() {
  const inst = generateInstance((process.argv[2] ?? 'region') as any, 1);
  const model = buildMilp(inst.input);
  console.log('build', model.buildMs, model.lp.length, model.rows);
  const highs = await getHighs();
  let t = performance.now();
  const m = highs.createModel({ format: 'lp', data: model.lp });
  console.log('parse', performance.now() - t); t = performance.now();
  const n = m.getDimensions().numCols;
  for (let i = 0; i < n; i++) m.getColName(i);
  console.log('names', performance.now() - t); t = performance.now();
  const opts: Record<string, any> = { output_flag: true, log_to_console: true, time_limit: Number(process.argv[3] ?? 60) };
  if (process.argv[4]) Object.assign(opts, JSON.parse(process.argv[4]));
  m.options.set(opts);
  m.run({ [highs.constants.callbackType.logging]: (e: any) => process.stdout.write(e.message) } as any);
  console.log('run', performance.now() - t, m.getModelStatus(), m.getObjectiveValue() + model.constant, Number(m.info.get('mip_dual_bound')) + model.constant);
  m.dispose();
}
main();
