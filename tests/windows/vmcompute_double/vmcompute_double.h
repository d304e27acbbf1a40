// TEST ONLY. Control surface of the vmcompute.dll double (vmcompute_double.cpp). Never installed,
// never shipped: the double lives only in the test build tree.
#pragma once

// The next `times` calls of `function` (e.g. "PrepareLayer") return `hresult`; scripts for one
// function queue up in order, so (E, 2) then (S_OK, 1) means "fail twice, then succeed". Calls
// with no script left succeed.
typedef void (*VmcomputeDoubleScriptFn)(const char* function, long hresult, int times);
// The volume path GetLayerMountPath reports (UTF-8); a Volume{GUID} path with its trailing
// backslash until set.
typedef void (*VmcomputeDoubleSetMountPathFn)(const char* path);
// Each PrepareLayer call then lasts `milliseconds`; the double counts how many overlap, the most
// at once read by VmcomputeDoubleMostConcurrentPrepares (reset by VmcomputeDoubleReset).
typedef void (*VmcomputeDoubleSetPrepareDelayFn)(int milliseconds);
typedef int (*VmcomputeDoubleMostConcurrentPreparesFn)(void);
// Forgets every script and recorded call, restores the default mount path and
// clears the PrepareLayer delay and count.
typedef void (*VmcomputeDoubleResetFn)(void);
// Copies the recorded calls, a JSON array of {"function": ..., "args": {...}}, into buffer when it
// is large enough; returns the full length needed.
typedef int (*VmcomputeDoubleCallLogFn)(char* buffer, int size);
