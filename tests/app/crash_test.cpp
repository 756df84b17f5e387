// kill -9 during a load run loses no order that got a 2xx: the real binary, a real crash.
#include <catch2/catch.hpp>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "http_client.h"
#include "support.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

// The landed binary serving on a free port, its stdout read for the port it printed.
struct Process {
  pid_t pid = -1;
  std::string base;

  explicit Process(const fs::path& db) {
    int out[2];
    REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string keys = (landed::test::home() / "tools/dev-keys.json").string();
    const std::string dbs = db.string();
    std::vector<std::string> args = {LANDED_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", dbs, "--keys", keys,
                                     "--threads", "2"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawn(&pid, LANDED_BINARY, &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    std::string line;
    char ch;
    while (read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(out[0]);
    const auto at = line.find("http://");
    REQUIRE(at != std::string::npos);
    base = line.substr(at);
  }

  void kill9() {
    ::kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    pid = -1;
  }

  ~Process() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      int status = 0;
      waitpid(pid, &status, 0);
    }
  }
};

}  // namespace

TEST_CASE("kill -9 during a load run loses no order that got a 2xx") {
  const fs::path dir = fs::temp_directory_path() / ("landed-crash-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path db = dir / "landed.db";
  const std::string cart = landed::test::read_text(landed::test::home() / "tools/examples/cart-us-hr.json");

  std::mutex mu;
  std::vector<std::string> ordered;  // order ids that got a 201
  std::atomic<int> transport_errors{0};
  {
    Process server(db);
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t)
      clients.emplace_back([&] {
        landed::test::HttpClient c(server.base);
        while (!stop) {
          const auto q = c.request("POST", "/v1/quotes", "dev-checkout-token", cart);
          if (q.status != 201) { ++transport_errors; continue; }
          const std::string id = nlohmann::json::parse(q.body)["quote_id"];
          const auto o = c.request("POST", "/v1/orders", "dev-checkout-token", nlohmann::json{{"quote_id", id}}.dump());
          if (o.status == 201) {
            std::lock_guard lock(mu);
            ordered.push_back(nlohmann::json::parse(o.body)["order_id"]);
          } else {
            ++transport_errors;  // expected once the server is gone
          }
        }
      });
    // Kill the server while the clients are mid-flight.
    for (int i = 0; i < 100; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      std::lock_guard lock(mu);
      if (ordered.size() >= 100) break;
    }
    server.kill9();
    stop = true;
    for (auto& t : clients) t.join();
  }
  REQUIRE(ordered.size() > 20);

  Process restarted(db);
  landed::test::HttpClient c(restarted.base);
  std::size_t found = 0;
  for (const auto& id : ordered) found += c.request("GET", "/v1/orders/" + id, "dev-checkout-token").status == 200;
  CHECK(found == ordered.size());
  WARN("kill -9: " << ordered.size() << " orders acknowledged before the crash, " << found << " found after restart");
  fs::remove_all(dir);
}
