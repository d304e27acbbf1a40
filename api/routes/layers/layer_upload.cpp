#include "api/routes/layers/layer_upload.h"

#include "storage/layers/chunk_pipe.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <thread>

namespace silo::api {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;

// A wake-up for a coroutine on a strand, from any thread. notify() posts to the strand, and wait()
// runs there too, so a notification between "check" and "wait" is never lost.
class Wakeup : public std::enable_shared_from_this<Wakeup> {
 public:
  explicit Wakeup(asio::any_io_executor executor) : executor_(executor), timer_(executor) {}

  std::function<void()> notifier() {
    return [self = shared_from_this()] {
      asio::post(self->executor_, [self] {
        self->pending_ = true;
        self->timer_.cancel();
      });
    };
  }

  asio::awaitable<void> wait() {
    if (!pending_) {
      timer_.expires_at(asio::steady_timer::time_point::max());
      co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    pending_ = false;
  }

 private:
  asio::any_io_executor executor_;
  asio::steady_timer timer_;
  bool pending_ = false;
};

struct ImportThread {
  layers::ChunkPipe pipe;
  std::optional<Result<layers::LayerInfo>> result;  // written before `done`
  std::atomic<bool> done{false};
  std::thread worker;
};

}  // namespace

asio::awaitable<UploadOutcome> import_upload(BodyReader& body, std::shared_ptr<layers::LayerStore> store,
                                             std::optional<std::string> parent) {
  auto executor = co_await asio::this_coro::executor;
  auto wake = std::make_shared<Wakeup>(executor);
  auto job = std::make_shared<ImportThread>();
  job->pipe.set_on_space(wake->notifier());
  job->worker = std::thread([job, store, parent, notify = wake->notifier()] {
    job->result = store->import(job->pipe, parent);
    job->done.store(true);
    notify();
  });

  UploadOutcome outcome;
  std::string chunk;
  // Stops early when the import ends first (a refused entry): the rest of the body is not needed.
  while (!job->done.load()) {
    chunk.resize(kChunkBytes);
    auto got = co_await body.read_some(chunk);
    if (!got.ok) {
      outcome.body_failed = true;
      outcome.body_failure = std::move(got.answer);
      job->pipe.abort("the upload ended before the layer was complete");
      break;
    }
    if (got.bytes == 0) {
      job->pipe.close();
      break;
    }
    chunk.resize(got.bytes);
    while (!job->done.load() && !job->pipe.try_push(chunk)) co_await wake->wait();
  }
  while (!job->done.load()) co_await wake->wait();
  job->worker.join();  // it has finished: `done` is its last step but one
  if (!outcome.body_failed) outcome.imported = std::move(job->result);
  co_return outcome;
}

}  // namespace silo::api
