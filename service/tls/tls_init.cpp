#include "service/tls/tls_init.h"

#include "service/tls/certificates.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace silo::service::tls {
namespace {

using namespace std::chrono_literals;
using Days = std::chrono::days;
namespace fs = std::filesystem;

constexpr Days kCaLifetime{3650};
constexpr Days kServerLifetime{825};  // the most browsers and Apple platforms accept
constexpr Days kClientLifetime{365};
// Certificates start a little in the past so a peer whose clock runs behind still accepts them.
constexpr auto kBackdate = 5min;

struct PendingFile {
  std::string path;
  std::string content;
  mode_t mode;
};

Result<void> write_file(const PendingFile& file, bool force) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL);
  int fd = ::open(file.path.c_str(), flags, file.mode);
  if (fd < 0) return errno_error(Errc::failed_precondition, "cannot create " + file.path, errno);
  // With --force the file may have existed with looser permissions.
  bool ok = ::fchmod(fd, file.mode) == 0;
  std::size_t done = 0;
  while (ok && done < file.content.size()) {
    ssize_t n = ::write(fd, file.content.data() + done, file.content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return errno_error(Errc::failed_precondition, "cannot write " + file.path, err);
  return {};
}

Result<void> make_dir(const fs::path& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return errno_error(Errc::failed_precondition, "cannot create folder " + dir.string(), errno);
  }
  return {};
}

CertRequest request_for(CertKind kind, std::string common_name, Days lifetime) {
  auto now = std::chrono::system_clock::now();
  CertRequest request;
  request.kind = kind;
  request.common_name = std::move(common_name);
  request.not_before = now - kBackdate;
  request.not_after = now + lifetime;
  return request;
}

struct Issued {
  std::string cert_pem;
  std::string key_pem;
};

Result<Issued> issue(const CertRequest& request, const Certificate& ca, const PrivateKey& ca_key) {
  auto key = generate_p256_key();
  if (!key) return key.error();
  auto cert = issue_certificate(request, *key, ca, ca_key);
  if (!cert) return cert.error();
  return Issued{certificate_pem(*cert), private_key_pem(*key)};
}

Result<std::vector<PendingFile>> build_files(const TlsInitOptions& options) {
  fs::path dir(options.dir);
  auto ca_key = generate_p256_key();
  if (!ca_key) return ca_key.error();
  auto ca = issue_certificate(request_for(CertKind::ca, "silo CA", kCaLifetime), *ca_key, nullptr, nullptr);
  if (!ca) return ca.error();
  std::string ca_pem = certificate_pem(*ca);
  std::vector<PendingFile> files{{(dir / "ca.pem").string(), ca_pem, 0644},
                                 {(dir / "ca-key.pem").string(), private_key_pem(*ca_key), 0600}};

  auto server_request =
      request_for(CertKind::server, options.names.empty() ? options.ips.front() : options.names.front(), kServerLifetime);
  server_request.dns_names = options.names;
  server_request.ip_addresses = options.ips;
  auto server = issue(server_request, *ca, *ca_key);
  if (!server) return server.error();
  files.push_back({(dir / "server-cert.pem").string(), server->cert_pem, 0644});
  files.push_back({(dir / "server-key.pem").string(), server->key_pem, 0600});

  for (const char* role : kClientRoles) {
    auto request = request_for(CertKind::client, std::string("silo-") + role, kClientLifetime);
    request.organizational_units = {role};
    auto client = issue(request, *ca, *ca_key);
    if (!client) return client.error();
    files.push_back({(dir / role / "ca.pem").string(), ca_pem, 0644});
    files.push_back({(dir / role / "cert.pem").string(), client->cert_pem, 0644});
    files.push_back({(dir / role / "key.pem").string(), client->key_pem, 0600});
  }
  return files;
}

Result<std::string> value_after(const std::vector<std::string>& args, std::size_t& i) {
  if (i + 1 >= args.size()) return make_error(Errc::invalid_argument, args[i] + " needs a value; see silod tls --help");
  return args[++i];
}

}  // namespace

std::string tls_usage_text() {
  return "Usage: silod tls init --dir DIR --name HOST [--name HOST]... [--ip ADDR]... [--force]\n\n"
         "Creates a CA, a server certificate for the given names and addresses, and a client certificate\n"
         "for each role (admin, operator, read-only), with ECDSA P-256 keys:\n"
         "  DIR/ca.pem DIR/ca-key.pem DIR/server-cert.pem DIR/server-key.pem\n"
         "  DIR/ROLE/ca.pem DIR/ROLE/cert.pem DIR/ROLE/key.pem   (a client's SILO_CERT_PATH)\n"
         "Serve with: silod --host tcp://0.0.0.0:2376 --tlsverify --tlscacert DIR/ca.pem \\\n"
         "              --tlscert DIR/server-cert.pem --tlskey DIR/server-key.pem\n"
         "Keep DIR/ca-key.pem offline: whoever holds it can make admin certificates.\n"
         "Existing files are kept unless --force is given.\n";
}

Result<TlsInitOptions> parse_tls_init_args(const std::vector<std::string>& args) {
  TlsInitOptions options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--force") {
      options.force = true;
      continue;
    }
    if (flag != "--dir" && flag != "--name" && flag != "--ip") {
      return make_error(Errc::invalid_argument, "unknown argument " + flag + " to silod tls init; see silod tls --help");
    }
    auto value = value_after(args, i);
    if (!value) return value.error();
    if (flag == "--dir") options.dir = *value;
    if (flag == "--name") options.names.push_back(*value);
    if (flag == "--ip") options.ips.push_back(*value);
  }
  if (options.dir.empty()) return make_error(Errc::invalid_argument, "silod tls init needs --dir DIR");
  if (options.names.empty() && options.ips.empty()) {
    return make_error(Errc::invalid_argument,
                      "silod tls init needs at least one --name HOST or --ip ADDR: the names clients use to reach silod");
  }
  return options;
}

Result<std::vector<std::string>> tls_init(const TlsInitOptions& options) {
  auto files = build_files(options);  // everything in memory first: nothing is written on a bad name
  if (!files) return files.error();
  if (!options.force) {
    for (const auto& file : *files) {
      if (std::error_code ec; fs::exists(fs::symlink_status(file.path, ec))) {
        return make_error(Errc::already_exists, file.path + " already exists; remove it, choose another --dir, or give --force");
      }
    }
  }
  SILO_TRY(make_dir(options.dir));
  for (const char* role : kClientRoles) SILO_TRY(make_dir(fs::path(options.dir) / role));
  std::vector<std::string> written;
  for (const auto& file : *files) {
    SILO_TRY(write_file(file, options.force));
    written.push_back(file.path);
  }
  return written;
}

int run_tls_command(const std::vector<std::string>& args) {
  // args[0] is "tls"
  if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
    std::fputs(tls_usage_text().c_str(), args.size() < 2 ? stderr : stdout);
    return args.size() < 2 ? 2 : 0;
  }
  if (args[1] != "init") {
    std::fprintf(stderr, "silod: unknown tls command \"%s\"; see silod tls --help\n", args[1].c_str());
    return 2;
  }
  auto options = parse_tls_init_args(std::vector<std::string>(args.begin() + 2, args.end()));
  if (!options) {
    std::fprintf(stderr, "silod: %s\n", options.error().message.c_str());
    return 2;
  }
  auto written = tls_init(*options);
  if (!written) {
    std::fprintf(stderr, "silod: %s\n", written.error().message.c_str());
    return 1;
  }
  for (const auto& path : *written) std::printf("%s\n", path.c_str());
  return 0;
}

}  // namespace silo::service::tls
