// Writing results to files: atomic writes, tidy CSV, and the files of one run.

export { writeFileAtomic, writeDirAtomic, tempFileName, tempDirName, type Content, type OutputFile } from './atomic.js';
export { formatNumber, csvField, metricsCsv, metricsCsvChunks, METRICS_CSV_COLUMNS, type NonFiniteValue } from './csv.js';
export {
  writeRunOutputs,
  runManifest,
  jsonText,
  nonFinitePaths,
  RUN_OUTPUT_FILES,
  METRICS_FILE,
  SUMMARY_FILE,
  MANIFEST_FILE,
  type RunManifest,
  type ManifestInput,
  type RunOutputReport,
} from './runOutputs.js';
