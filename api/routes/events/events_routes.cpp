#include "api/routes/events/events_routes.h"

#include "api/http/error_response.h"
#include "api/json/event_json.h"
#include "api/routes/events/events_query.h"
#include "core/logging.h"

namespace silo::api {
namespace {

constexpr std::string_view kNdjson = "application/x-ndjson";

// Appends the matching events after last_id as NDJSON lines; advances last_id.
void render(const EventQuery& query, const std::vector<EventRecord>& events, std::int64_t& last_id, std::string& out) {
  for (const auto& event : events) {
    if (event.id <= last_id) continue;  // already sent from history: subscribe-then-read overlaps
    last_id = event.id;
    if (!event_matches(query, event)) continue;
    out += event_to_json(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
}

class EventsStream {
 public:
  EventsStream(const EventsContext& context, EventsRequest request, ResponseWriter& writer)
      : context_(context), request_(std::move(request)), writer_(writer) {}

  asio::awaitable<void> run() {
    // Subscribe before reading history, so nothing committed in between is missed.
    bool live = request_.follow && !(request_.query.until && *request_.query.until <= context_.clock->now());
    if (live) {
      subscription_ = context_.hub->subscribe(context_.follower_queue);
      subscription_->set_notify(writer_.waker());
    }
    auto first = read_page();
    if (!first) {
      co_await writer_.send(error_response(first.error()));
      co_return;
    }
    if (!co_await writer_.begin_stream(http::status::ok, std::string(kNdjson))) co_return;
    if (!co_await send_history(std::move(*first))) co_return;
    if (live) co_await follow();
    co_await writer_.end_stream();
  }

  ~EventsStream() {
    if (subscription_) subscription_->cancel();
  }

 private:
  Result<std::vector<EventRecord>> read_page() {
    EventQuery page = request_.query;
    page.after_id = last_id_;
    page.limit = context_.page_size;
    return context_.store->list_events(page);
  }

  asio::awaitable<bool> send_history(std::vector<EventRecord> page) {
    for (;;) {
      bool more = page.size() >= context_.page_size;
      std::string chunk;
      render(request_.query, page, last_id_, chunk);
      if (!co_await writer_.write_chunk(std::move(chunk))) co_return false;
      if (!more) co_return true;
      auto next = read_page();
      if (!next) {
        logging::get("api")->warn("events history read failed mid-stream: {}", next.error().message);
        co_return false;
      }
      page = std::move(*next);
    }
  }

  asio::awaitable<void> follow() {
    for (;;) {
      std::string chunk;
      render(request_.query, subscription_->take(), last_id_, chunk);
      if (!co_await writer_.write_chunk(std::move(chunk))) co_return;
      if (subscription_->state() != events::Subscription::State::open) co_return;  // overflowed or shutdown
      std::optional<std::chrono::nanoseconds> timeout;
      if (request_.query.until) {
        auto left = *request_.query.until - context_.clock->now();
        if (left < 0) co_return;
        timeout = std::chrono::nanoseconds(left) + std::chrono::milliseconds(1);  // past until, not at it
      }
      if (co_await writer_.wait(timeout) == WakeReason::closing) co_return;
    }
  }

  const EventsContext& context_;
  EventsRequest request_;
  ResponseWriter& writer_;
  std::shared_ptr<events::Subscription> subscription_;
  std::int64_t last_id_ = 0;
};

}  // namespace

void add_event_routes(Router& router, std::shared_ptr<const EventsContext> context) {
  router.add(http::verb::get, "/v1/events",
             [context](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
               auto parsed = parse_events_request(request.query);
               if (!parsed) {
                 co_await writer.send(error_response(parsed.error()));
                 co_return;
               }
               EventsStream stream(*context, std::move(*parsed), writer);
               co_await stream.run();
             });
}

}  // namespace silo::api
