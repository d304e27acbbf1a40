// TEST ONLY. The control surface of the computecore.dll double (computecore_double.cpp): tests load
// the double by its full path, resolve the Hcs* exports into the client's function table, and use
// these exports to script answers, read the recorded calls and fire events. Never installed, never
// shipped: the double lives only in the test build tree.
#pragma once

// Scripted answer for the next call of `function` (e.g. "HcsStartComputeSystem"): the HRESULT the
// call itself returns, the HRESULT the wait on its operation returns, and the result document.
// Unscripted calls succeed with an empty document ("{}" for properties).
typedef void (*HcsDoubleScriptFn)(const char* function, long call_hresult, long wait_hresult, const char* document);
// Forgets every script, recorded call, system and process.
typedef void (*HcsDoubleResetFn)(void);
// Copies the recorded calls (a JSON array) into buffer; returns the full length needed.
typedef int (*HcsDoubleCallLogFn)(char* buffer, int size);
// Invokes the callback registered for the system `id` (or process `pid`) with an HCS_EVENT of
// `type` and `data`; returns 0 when nothing is registered (never registered or closed).
typedef int (*HcsDoubleFireSystemEventFn)(const char* id, unsigned type, const char* data);
typedef int (*HcsDoubleFireProcessEventFn)(unsigned pid, unsigned type, const char* data);
