// libFuzzer's entry for programs that own `main` (SwiftPM gives every executable its own).
#ifndef POLYTOKEN_CFUZZER_H
#define POLYTOKEN_CFUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// The harness, defined by each fuzz executable.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
