#include "service/tls/certificates.h"

#include <boost/asio/ip/address.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace silo::service::tls {
namespace {

Error openssl_failure(std::string_view what) {
  std::string reason;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    reason += reason.empty() ? text : std::string("; ") + text;
  }
  return make_error(Errc::internal, std::string(what) + (reason.empty() ? "" : ": " + reason));
}

// 127 random bits: unique without a serial database, positive as RFC 5280 requires.
bool set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return false;
  bytes[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> number(BN_bin2bn(bytes, sizeof(bytes), nullptr), &BN_free);
  return number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()),
                                    -1, -1, 0) == 1;
}

bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (!extension) return false;
  bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

Result<std::string> subject_alt_names(const CertRequest& request) {
  std::string out;
  for (const auto& name : request.dns_names) {
    if (!valid_dns_name(name)) return make_error(Errc::invalid_argument, "\"" + name + "\" is not a valid DNS name");
    out += (out.empty() ? "DNS:" : ",DNS:") + name;
  }
  for (const auto& ip : request.ip_addresses) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(ip, ec);
    if (ec) return make_error(Errc::invalid_argument, "\"" + ip + "\" is not an IP address");
    out += (out.empty() ? "IP:" : ",IP:") + address.to_string();
  }
  return out;
}

Result<void> add_extensions(X509* cert, X509* issuer, const CertRequest& request) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  bool ok = add_extension(cert, &ctx, NID_subject_key_identifier, "hash");
  if (request.kind == CertKind::ca) {
    ok = ok && add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
         add_extension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    ok = ok && add_extension(cert, &ctx, NID_authority_key_identifier, "keyid:always") &&
         add_extension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(cert, &ctx, NID_key_usage, "critical,digitalSignature") &&
         add_extension(cert, &ctx, NID_ext_key_usage, request.kind == CertKind::server ? "serverAuth" : "clientAuth");
  }
  if (!ok) return openssl_failure("cannot add the certificate extensions");
  auto sans = subject_alt_names(request);
  if (!sans) return sans.error();
  if (!sans->empty() && !add_extension(cert, &ctx, NID_subject_alt_name, *sans)) {
    return openssl_failure("cannot add the subject alternative names " + *sans);
  }
  return {};
}

Result<void> set_subject(X509* cert, const CertRequest& request) {
  X509_NAME* name = X509_get_subject_name(cert);
  bool ok = add_name_entry(name, "O", request.organization);
  for (const auto& unit : request.organizational_units) ok = ok && add_name_entry(name, "OU", unit);
  ok = ok && add_name_entry(name, "CN", request.common_name);
  if (!ok) return openssl_failure("cannot set the subject of " + request.common_name);
  return {};
}

}  // namespace

bool valid_dns_name(std::string_view name) {
  if (name.starts_with("*.")) name.remove_prefix(2);
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<PrivateKey> generate_p256_key() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (!key) return openssl_failure("cannot generate an ECDSA P-256 key");
  return PrivateKey(key, &EVP_PKEY_free);
}

Result<Certificate> issue_certificate(const CertRequest& request, const PrivateKey& subject_key, const Certificate& issuer,
                                      const PrivateKey& issuer_key) {
  if (!issuer && request.kind != CertKind::ca) return make_error(Errc::invalid_argument, "only a CA certificate is self-signed");
  Certificate cert(X509_new(), &X509_free);
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !set_random_serial(cert.get())) {
    return openssl_failure("cannot start a certificate");
  }
  SILO_TRY(set_subject(cert.get(), request));
  X509* signer = issuer ? issuer.get() : cert.get();
  auto to_time = [](std::chrono::system_clock::time_point at) { return std::chrono::system_clock::to_time_t(at); };
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1 ||
      !ASN1_TIME_set(X509_getm_notBefore(cert.get()), to_time(request.not_before)) ||
      !ASN1_TIME_set(X509_getm_notAfter(cert.get()), to_time(request.not_after)) ||
      X509_set_pubkey(cert.get(), subject_key.get()) != 1) {
    return openssl_failure("cannot fill certificate " + request.common_name);
  }
  SILO_TRY(add_extensions(cert.get(), signer, request));
  const PrivateKey& signing_key = issuer ? issuer_key : subject_key;
  if (X509_sign(cert.get(), signing_key.get(), EVP_sha256()) <= 0) return openssl_failure("cannot sign " + request.common_name);
  return cert;
}

namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio read_bio(std::string_view pem) { return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free); }

}  // namespace

std::string certificate_pem(const Certificate& certificate) {
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), certificate.get()) != 1) return {};
  return bio_text(bio.get());
}

std::string private_key_pem(const PrivateKey& key) {
  Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) return {};
  return bio_text(bio.get());
}

Result<Certificate> parse_certificate_pem(std::string_view pem) {
  auto bio = read_bio(pem);
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!cert) return openssl_failure("not a PEM certificate");
  return Certificate(cert, &X509_free);
}

Result<PrivateKey> parse_private_key_pem(std::string_view pem) {
  auto bio = read_bio(pem);
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (!key) return openssl_failure("not a PEM private key");
  return PrivateKey(key, &EVP_PKEY_free);
}

}  // namespace silo::service::tls
