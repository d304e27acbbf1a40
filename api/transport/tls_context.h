// The server side TLS context silod uses for tcp:// hosts, built from the files named by
// --tlscacert, --tlscert, --tlskey and --tlscrl:
//   - TLS 1.2 minimum, 1.3 preferred (OpenSSL picks the highest both sides speak);
//   - ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 only, set explicitly for 1.2 and 1.3;
//   - a client certificate is required and verified against the given CA file alone (the system
//     store is never loaded), with the CRL checked for the leaf when --tlscrl is given;
//   - session resumption through the server's session cache (TLS 1.2 ids) and tickets.
#pragma once

#include "core/errors.h"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace silo::api {

struct TlsServerFiles {
  std::string ca_file;
  std::string cert_file;  // the server's certificate, optionally followed by intermediates
  std::string key_file;
  std::string crl_file;   // empty: no revocation check
};

// The TLS 1.2 cipher list and TLS 1.3 suites silod offers (also used by the client library).
inline constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
inline constexpr const char* kTls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// Loads and checks every file; the error names the file and OpenSSL's reason.
Result<std::shared_ptr<boost::asio::ssl::context>> build_server_context(const TlsServerFiles& files);

// The OpenSSL error queue as text (and cleared), for messages.
std::string openssl_errors();

}  // namespace silo::api
