// TEST ONLY. Control surface of the computestorage.dll double: script the next call's HRESULT,
// read the recorded calls (a JSON array of {"function", "args"}), reset. Never installed.
#pragma once

typedef void (*StorageDoubleScriptFn)(const char* function, long hresult);
typedef void (*StorageDoubleResetFn)(void);
typedef int (*StorageDoubleCallLogFn)(char* buffer, int size);
