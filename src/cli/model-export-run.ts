// What `embedline model export` does once its flags are parsed (model-export-command.ts defines them). Loaded by the
// command's action only, so that --help, --version and usage errors do not load what it needs.
import { exportModel, REPORT_FILE, type ExportReport } from '../export/export-model.ts';
import { startupConfig } from './startup-config.ts';

function summary(report: ExportReport): string {
  const proof = report.proof;
  const lines = [
    `exported ${report.source} to ${report.out} in ${report.seconds} s`,
    `graph       ${report.inputs.join(', ')} -> ${report.outputs.join(', ')} (opset ${report.opset}); model_int8.onnx per-channel int8`,
    `defaults    pooling ${report.defaultPooling}, ${report.normalize ? 'L2-normalised' : 'not normalised'}, ${proof.maxTokens} tokens`,
    `token ids   ${proof.tokenIds.equal}/${proof.tokenIds.of} texts equal to transformers'`,
    `proof       cosine to PyTorch per pooling (min over ${proof.texts.length} texts, ≥ ${proof.minCosineRequired} required); int8 to fp32 (min / mean)`,
    ...Object.entries(proof.fp32).map(([pooling, a]) => {
      const int8 = proof.int8[pooling as keyof typeof proof.int8];
      return `  ${pooling.padEnd(7)} fp32 ${a.minCosine.toFixed(7)} (max |diff| ${a.maxAbsDifference.toExponential(1)})   int8 ${int8?.minCosine.toFixed(4)} / ${int8?.meanCosine.toFixed(4)}`;
    }),
    `report      ${report.out}/${REPORT_FILE}`,
  ];
  return `${lines.join('\n')}\n`;
}

export async function runModelExport(source: string, flags: { out: string; force?: boolean; json?: boolean }): Promise<void> {
  const config = startupConfig();
  const report = await exportModel({
    source,
    out: flags.out,
    force: flags.force,
    python: config.exportPython,
    threads: config.inference.threads,
    // Info-level lines: EMBEDLINE_QUIET leaves them out, as it does the log's.
    progress: (line) => {
      if (!config.quiet) process.stderr.write(`export: ${line}\n`);
    },
  });
  process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));

}
