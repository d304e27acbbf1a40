#include "api/routes/layers/layer_routes.h"

#include "api/http/body_reader.h"
#include "api/http/error_response.h"
#include "api/routes/layers/layer_upload.h"
#include "core/clock.h"
#include "core/ids.h"

#include <boost/algorithm/string/predicate.hpp>

#include <array>

namespace silo::api {
namespace {

// A layer upload is a tar, optionally gzip-compressed; gzip is recognised by its magic bytes
// whatever the header says, so octet-stream (curl --data-binary, siloctl) works too.
constexpr std::array<std::string_view, 6> kUploadTypes = {"application/x-tar", "application/tar", "application/gzip",
                                                          "application/x-gzip", "application/tar+gzip",
                                                          "application/octet-stream"};

std::optional<Response> refuse_content_type(const Request& request) {
  auto header = request.headers[http::field::content_type];
  std::string_view type(header.data(), header.size());
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  for (auto allowed : kUploadTypes) {
    if (boost::algorithm::iequals(type, allowed)) return std::nullopt;
  }
  return error_response(http::status::unsupported_media_type, Errc::invalid_argument,
                        "Content-Type \"" + std::string(type) +
                            "\" is not a layer; send a tar as application/x-tar, application/gzip or application/octet-stream");
}

// The parent query parameter, checked to be an id (or prefix) before it reaches the store.
Result<std::optional<std::string>> parent_param(const Request& request) {
  std::optional<std::string> parent;
  for (const auto& [key, value] : request.query.items()) {
    if (key != "parent") return make_error(Errc::invalid_argument, "unknown query parameter \"" + key + "\"; layers take parent");
    std::string_view id = value;
    if (id.starts_with("sha256:")) id.remove_prefix(7);
    if (!ids::is_id_prefix(id)) {
      return make_error(Errc::invalid_argument, "parent \"" + value + "\" is not a layer id (1 to 64 lowercase hex characters)");
    }
    parent = std::string(id);
  }
  return parent;
}

Response upload_answer(const UploadOutcome& outcome) {
  if (outcome.body_failed) {
    if (outcome.body_failure) return *outcome.body_failure;
    return error_response(http::status::bad_request, Errc::invalid_argument, "the upload ended before it was complete");
  }
  const auto& imported = *outcome.imported;
  if (!imported) return error_response(imported.error());
  return json_response(imported->existed ? http::status::ok : http::status::created, layer_to_json(*imported));
}

asio::awaitable<void> import(const LayersContext& ctx, const Request& request, ResponseWriter& writer) {
  if (auto refused = refuse_content_type(request)) {
    co_await writer.send(std::move(*refused));
    co_return;
  }
  auto parent = parent_param(request);
  if (!parent) {
    Response bad = error_response(parent.error());
    co_await writer.send(std::move(bad));
    co_return;
  }
  auto outcome = co_await import_upload(*request.body_reader, ctx.layers, *parent);
  Response answer = upload_answer(outcome);
  co_await writer.send(std::move(answer));
}

Response list(const LayersContext& ctx, const Request& request) {
  if (!request.query.items().empty()) {
    return error_response(make_error(Errc::invalid_argument, "unknown query parameter \"" + request.query.items().front().first +
                                                                 "\"; GET /v1/layers takes none"));
  }
  auto infos = ctx.layers->list();
  if (!infos) return error_response(infos.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& info : *infos) items.push_back(layer_to_json(info));
  return json_response(http::status::ok, items);
}

std::string layer_ref(const Request& request) { return request.path_param("id").value_or(""); }

Response inspect(const LayersContext& ctx, const Request& request) {
  auto info = ctx.layers->inspect(layer_ref(request));
  if (!info) return error_response(info.error());
  return json_response(http::status::ok, layer_to_json(*info));
}

Response remove(const LayersContext& ctx, const Request& request) {
  auto removed = ctx.layers->remove(layer_ref(request));
  if (!removed) return error_response(removed.error());
  Response response;
  response.status = http::status::no_content;
  return response;
}

}  // namespace

nlohmann::json layer_to_json(const layers::LayerInfo& info) {
  nlohmann::json body{{"id", info.record.id},
                      {"parent", info.record.parent ? nlohmann::json(*info.record.parent) : nlohmann::json(nullptr)},
                      {"sizeBytes", info.record.size_bytes},
                      {"createdAt", format_rfc3339(info.record.created_at)},
                      {"chain", info.chain}};
  return body;
}

void add_layer_routes(Router& router, std::shared_ptr<const LayersContext> context) {
  router.add_streaming(
      http::verb::post, "/v1/layers",
      [context](const Request& request, ResponseWriter& writer) { return import(*context, request, writer); },
      context->max_upload_bytes);
  auto pool = context->pool;
  add_blocking(router, http::verb::get, "/v1/layers", pool, [context](const Request& r) { return list(*context, r); });
  add_blocking(router, http::verb::get, "/v1/layers/{id}", pool, [context](const Request& r) { return inspect(*context, r); });
  add_blocking(router, http::verb::delete_, "/v1/layers/{id}", pool, [context](const Request& r) { return remove(*context, r); });
}

}  // namespace silo::api
