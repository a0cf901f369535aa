// ONNX threads per run in a search server. A query is a dozen tokens, too little to split across
// threads; the cores do more as parallel runs and store searches (bench/search measured more
// requests/s and a lower p99 with 1 than with 2 on two cores). `serve --threads` overrides. Its own
// file so that `serve`'s help can name it without loading the model code.
export const SERVER_QUERY_THREADS = 1;
