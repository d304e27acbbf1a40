// TEST ONLY. Control exports of the computenetwork.dll double (computenetwork_double.cpp): tests
// load it by full path, resolve the Hcn* exports into the client's table, script answers and read
// the recorded calls. Never installed, never shipped.
#pragma once

// The next call of `function` (e.g. "HcnCreateEndpoint") returns `hresult` with `error_record`
// as its ErrorRecord, and `document` as its output (Networks / Properties) when not null.
typedef void (*HcnDoubleScriptFn)(const char* function, long hresult, const char* error_record, const char* document);
// Forgets every script, recorded call and object.
typedef void (*HcnDoubleResetFn)(void);
// An existing network `name` with `id`, as if created before the test.
typedef void (*HcnDoubleAddNetworkFn)(const char* name, const char* id);
// Copies the recorded calls (a JSON array) into buffer; returns the full length needed.
typedef int (*HcnDoubleCallLogFn)(char* buffer, int size);
