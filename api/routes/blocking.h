// Runs a handler body that may block (store writes with fsync, backend calls, stop timeouts of
// seconds) on a bounded worker pool instead of an io thread, and resumes the coroutine on its own
// executor with the result. The pool bounds how many such calls run at once; the rest queue.
#pragma once

#include "api/http/router.h"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>

namespace silo::api {

using BlockingPool = asio::thread_pool;

// The work runs on `pool`; its Response is then sent from the request's own executor.
inline asio::awaitable<Response> run_blocking(BlockingPool& pool, std::function<Response()> work) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [&pool](auto handler, std::function<Response()> body) {
        auto home = asio::get_associated_executor(handler);
        asio::post(pool, [handler = std::move(handler), body = std::move(body), home]() mutable {
          Response response = body();
          asio::post(home, [handler = std::move(handler), response = std::move(response)]() mutable {
            std::move(handler)(std::move(response));
          });
        });
      },
      asio::use_awaitable, std::move(work));
}

// A route whose whole answer is computed by a blocking function on the pool.
inline void add_blocking(Router& router, http::verb method, std::string pattern, std::shared_ptr<BlockingPool> pool,
                         std::function<Response(const Request&)> handler) {
  router.add(method, std::move(pattern),
             [pool, handler = std::move(handler)](const Request& request, ResponseWriter& writer) -> asio::awaitable<void> {
               Response response = co_await run_blocking(*pool, [&handler, &request] { return handler(request); });
               co_await writer.send(std::move(response));
             });
}

}  // namespace silo::api
