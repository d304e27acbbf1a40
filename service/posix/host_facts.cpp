#include "service/host_facts.h"

#include "service/build_info.h"

#include <boost/version.hpp>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <fstream>

namespace silo::service {
namespace {

utsname read_uname() {
  utsname info{};
  ::uname(&info);
  return info;
}

// A value from /etc/os-release ("NAME", "VERSION_ID"), without its quotes.
std::string os_release_value(std::string_view key) {
  std::ifstream in("/etc/os-release");
  std::string line;
  for (int lines = 0; lines < 200 && std::getline(in, line); ++lines) {
    if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != '=') continue;
    std::string value = line.substr(key.size() + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) value = value.substr(1, value.size() - 2);
    return value;
  }
  return "";
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

api::HostFacts read_host_facts() {
  api::HostFacts facts;
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) == 0) facts.hostname = name.data();
  auto uname_info = read_uname();
  facts.kernel = uname_info.release;
  facts.os_name = os_release_value("NAME");
  if (facts.os_name.empty()) facts.os_name = uname_info.sysname;
  facts.os_version = os_release_value("VERSION_ID");
  facts.cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  facts.memory_bytes = static_cast<std::int64_t>(::sysconf(_SC_PHYS_PAGES)) * ::sysconf(_SC_PAGE_SIZE);
  return facts;
}

api::VersionInfo read_version_info() {
  auto uname_info = read_uname();
  return {SILO_VERSION, "v1", SILO_GIT_COMMIT, lowercase(uname_info.sysname), uname_info.machine, uname_info.release,
          SILO_BUILD_TYPE};
}

api::ComponentVersions read_component_versions() {
  std::string boost = std::to_string(BOOST_VERSION / 100000) + "." + std::to_string(BOOST_VERSION / 100 % 1000) + "." +
                      std::to_string(BOOST_VERSION % 100);
  return {SILO_VERSION, sqlite3_libversion(), OpenSSL_version(OPENSSL_VERSION_STRING), boost};
}

}  // namespace silo::service
