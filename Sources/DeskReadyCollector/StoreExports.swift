// The storage protocols, read models and `TimingHistogram` live in DeskReadyStore, which reporting builds on without
// the HTTP server or GRDB. The collector re-exports it, so code built on the collector sees them as before.
@_exported import DeskReadyStore
