// Making the keys and certificates of a small private PKI for silod's mutual TLS (used by
// `silod tls init`, the tests and the benchmark): ECDSA P-256 keys through OpenSSL 3's EVP API,
// and X.509 v3 certificates for a CA, a server (SANs for its names and addresses, serverAuth) and
// clients (the role as OU, clientAuth), each signed with SHA-256.
#pragma once

#include "core/errors.h"

#include <openssl/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace silo::service::tls {

using PrivateKey = std::shared_ptr<EVP_PKEY>;
using Certificate = std::shared_ptr<X509>;

enum class CertKind { ca, server, client };

struct CertRequest {
  CertKind kind = CertKind::client;
  std::string common_name;
  std::string organization = "silo";
  std::vector<std::string> organizational_units;
  std::vector<std::string> dns_names;     // SAN DNS entries (server)
  std::vector<std::string> ip_addresses;  // SAN IP entries (server)
  std::chrono::system_clock::time_point not_before;
  std::chrono::system_clock::time_point not_after;
};

Result<PrivateKey> generate_p256_key();

// Signs a certificate for subject_key. A CA request with no issuer is self-signed.
Result<Certificate> issue_certificate(const CertRequest& request, const PrivateKey& subject_key, const Certificate& issuer,
                                      const PrivateKey& issuer_key);

std::string certificate_pem(const Certificate& certificate);
std::string private_key_pem(const PrivateKey& key);  // PKCS#8, unencrypted
Result<Certificate> parse_certificate_pem(std::string_view pem);
Result<PrivateKey> parse_private_key_pem(std::string_view pem);

// A DNS name a certificate can carry: letters, digits, '-', '.', and a leading "*." wildcard.
bool valid_dns_name(std::string_view name);

}  // namespace silo::service::tls
