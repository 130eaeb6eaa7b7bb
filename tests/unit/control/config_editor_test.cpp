// ConfigEditor through its method handlers, with a fake node (the hooks) and a recording Responder,
// on a real libuv loop and thread pool, writing a real config file and history folder.

#include "engine/control/config_editor.h"

#include <uv.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>

#include "engine/config/config_loader.h"

using namespace sluice;
using config::Section;
using control::ConfigEditor;
using control::ControlError;
using control::Peer;
using nlohmann::json;

namespace {

constexpr const char* kConfig = R"(# edge node
listeners:
  - name: plain
    address: 127.0.0.1:0
upstreams:
  - name: api
    servers: [127.0.0.1:9001]
routes:
  - name: api
    upstream: api
    cache: short
    rate_limits: [per_ip]
  - name: other
    upstream: api
    rate_limits:
      - spare
# limits
rate_limits:
  - name: per_ip
    limit: 100
    window: 1m
  - name: spare
    key: route
    limit: 5
cache_policies:
  - name: short
    default_ttl: 60s
  - name: unused
    default_ttl: 1s
)";

// Every answer, in the order they came.
struct Answers {
  std::vector<std::string> order;
};

class Recorder final : public control::Responder {
 public:
  Recorder(Answers* answers, std::string tag) : answers_(answers), tag_(std::move(tag)) {}
  void ok(json value) override {
    ++count;
    result = std::move(value);
    answers_->order.push_back(tag_ + ":ok");
  }
  void fail(ControlError e) override {
    ++count;
    error = std::move(e);
    answers_->order.push_back(tag_ + ":" + error->code);
  }
  int count = 0;
  json result;
  std::optional<ControlError> error;

 private:
  Answers* answers_;
  std::string tag_;
};

// What FakeNode's prepare hook made, and on which thread.
struct PreparedMark final : control::PreparedConfig {
  std::string what;
  uint64_t running_version = 0;
  std::thread::id thread;
};

// The node's side: a running config, what was prepared and what was applied.
struct FakeNode {
  control::RunningConfig running;
  std::vector<std::string> applied;  // `what` of each apply
  std::vector<std::string> fail_next_apply;
  std::vector<PreparedMark> prepared_at_apply;  // what each apply was handed
  std::vector<std::string> fail_next_prepare;   // read and cleared on the pool

  control::ConfigEditHooks hooks() {
    control::ConfigEditHooks h;
    h.current = [this] { return running; };
    h.prepare = [this](const config::Config&, const control::RunningConfig& against, const std::string& what) {
      auto mark = std::make_shared<PreparedMark>();
      mark->errors = std::exchange(fail_next_prepare, {});
      mark->what = what;
      mark->running_version = against.version;
      mark->thread = std::this_thread::get_id();
      return mark;
    };
    h.apply = [this](config::ConfigPtr next, const std::string& text, const std::string& what,
                     const control::PreparedConfigPtr& prepared) {
      if (const auto* mark = dynamic_cast<const PreparedMark*>(prepared.get())) {
        prepared_at_apply.push_back(*mark);
      }
      if (!fail_next_apply.empty()) {
        return std::exchange(fail_next_apply, {});
      }
      applied.push_back(what);
      running = control::RunningConfig{next, text, next->version, running.path};
      return std::vector<std::string>{};
    };
    return h;
  }
};

std::string readFile(const std::string& path) {
  QFile file(QString::fromStdString(path));
  return file.open(QIODevice::ReadOnly) ? file.readAll().toStdString() : std::string("<unreadable>");
}

void writeFile(const std::string& path, const std::string& text) {
  QFile file(QString::fromStdString(path));
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
    qFatal("cannot write %s", path.c_str());
  }
  file.write(text.data(), static_cast<qint64>(text.size()));
}

// One editor over a config file in a temp dir. `path` "" runs it like the embedded config.
class Harness {
 public:
  explicit Harness(bool with_file = true, size_t keep = config::ConfigHistory::kDefaultKeep) {
    uv_loop_init(&loop_);
    path = with_file ? dir_.filePath("sluice.yaml").toStdString() : std::string();
    history_dir = with_file ? dir_.filePath("history").toStdString() : std::string();
    if (with_file) {
      writeFile(path, kConfig);
    }
    editor = std::make_unique<ConfigEditor>(&loop_, history_dir, node.hooks(), keep);
    std::string error;
    const uint64_t version = editor->adopt(kConfig, "start-up", error);
    config::LoadResult loaded = config::loadConfigText(kConfig, with_file ? path : "<embedded>");
    if (!loaded.ok()) {
      qFatal("the test config does not load: %s", loaded.errors.front().str().c_str());
    }
    auto versioned = std::make_shared<config::Config>(*loaded.config);
    versioned->version = version;
    node.running = control::RunningConfig{versioned, kConfig, version, path};
  }
  ~Harness() {
    uv_run(&loop_, UV_RUN_DEFAULT);
    editor.reset();
    uv_loop_close(&loop_);
  }

  std::shared_ptr<Recorder> recorder(const std::string& tag = "r") {
    return std::make_shared<Recorder>(&answers, tag);
  }
  // Runs the loop until every edit's thread-pool work and answer are done.
  void settle() { uv_run(&loop_, UV_RUN_DEFAULT); }

  std::shared_ptr<Recorder> call(void (ConfigEditor::*method)(const Peer&, const json&,
                                                              control::ResponderPtr),
                                 const json& params) {
    auto r = recorder();
    (editor.get()->*method)(peer, params, r);
    settle();
    return r;
  }
  std::shared_ptr<Recorder> set(Section section, const json& params, const std::string& tag = "r") {
    auto r = recorder(tag);
    editor->setPolicy(section, peer, params, r);
    return r;
  }
  std::shared_ptr<Recorder> del(Section section, const json& params) {
    auto r = recorder();
    editor->deletePolicy(section, peer, params, r);
    settle();
    return r;
  }

  QStringList historyFiles() const {
    return QDir(QString::fromStdString(history_dir)).entryList(QDir::Files | QDir::Hidden, QDir::Name);
  }

  FakeNode node;
  Answers answers;
  Peer peer{1000, 1000, 4242};
  std::string path;
  std::string history_dir;
  std::unique_ptr<ConfigEditor> editor;

 private:
  QTemporaryDir dir_;
  uv_loop_t loop_{};
};

json perIp(int limit) {
  return {{"name", "per_ip"}, {"limit", limit}, {"window", "1m"}};
}

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace

class ConfigEditorTest : public QObject {
  Q_OBJECT

 private slots:
  void getShowsVersionTextAndJson() {
    Harness h;
    auto r = h.call(&ConfigEditor::configGet, json::object());
    QVERIFY(!r->error);
    QCOMPARE(r->result["version"].get<int>(), 1);
    QCOMPARE(q(r->result["source"].get<std::string>()), q(h.path));
    QCOMPARE(r->result["persisted"].get<bool>(), true);
    QCOMPARE(q(r->result["yaml"].get<std::string>()), q(kConfig));
    QCOMPARE(r->result["config"]["rate_limits"][0]["limit"].get<int>(), 100);
    QCOMPARE(q(r->result["config"]["rate_limits"][0]["window"].get<std::string>()), QStringLiteral("1m"));
  }

  void setReplacesAPolicyAndWritesTheFile() {
    Harness h;
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.settle();
    QCOMPARE(r->count, 1);
    QVERIFY2(!r->error, r->error ? r->error->message.c_str() : "");
    QCOMPARE(q(r->result.dump()), q(json{{"version", 2}, {"created", false}, {"persisted", true}}.dump()));
    // Applied, with the new version and the new limit.
    QCOMPARE(h.node.applied, std::vector<std::string>{"rate_limits.set per_ip"});
    QCOMPARE(h.node.running.version, uint64_t(2));
    QCOMPARE(h.node.running.config->version, uint64_t(2));
    QCOMPARE(h.node.running.config->findRateLimit("per_ip")->limit, uint64_t(7));
    // Written back: only the section changed; the history has it with who and what.
    const std::string written = readFile(h.path);
    QCOMPARE(q(written), q(h.node.running.text));
    QVERIFY(written.starts_with(
        std::string(kConfig).substr(0, std::string(kConfig).find("rate_limits:\n  - name: per_ip"))));
    QVERIFY2(written.find("  - name: per_ip\n    limit: 7\n    window: 1m\n") != std::string::npos,
             written.c_str());
    QCOMPARE(h.historyFiles(), (QStringList{"v1.yaml", "v2.yaml"}));
    const config::ConfigVersionInfo newest = h.editor->history().list().front();
    QCOMPARE(newest.version, uint64_t(2));
    QCOMPARE(newest.uid.value_or(0), uid_t(1000));
    QCOMPARE(q(newest.what), QStringLiteral("rate_limits.set per_ip"));
    QCOMPARE(q(*h.editor->history().text(2)), q(written));
  }

  void setAddsAPolicy() {
    Harness h;
    auto r = h.set(
        Section::RateLimits,
        {{"base_version", 1}, {"policy", {{"name", "per_key"}, {"key", "header:X-Key"}, {"limit", 3}}}});
    h.settle();
    QVERIFY(!r->error);
    QCOMPARE(r->result["created"].get<bool>(), true);
    QVERIFY(h.node.running.config->findRateLimit("per_key") != nullptr);
    // The next edit must carry the new version.
    auto stale = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(8)}});
    h.settle();
    QVERIFY(stale->error);
    QCOMPARE(q(stale->error->code), QStringLiteral("conflict"));
    auto fresh = h.set(Section::RateLimits, {{"base_version", 2}, {"policy", perIp(8)}});
    h.settle();
    QCOMPARE(fresh->result["version"].get<int>(), 3);
  }

  void staleVersionIsAConflict() {
    Harness h;
    auto r = h.set(Section::RateLimits, {{"base_version", 7}, {"policy", perIp(7)}});
    h.settle();
    QVERIFY(r->error);
    QCOMPARE(q(r->error->code), QStringLiteral("conflict"));
    QVERIFY2(r->error->message.find("version 1") != std::string::npos, r->error->message.c_str());
    QVERIFY(h.node.applied.empty());
    QCOMPARE(q(readFile(h.path)), q(kConfig));
  }

  void invalidPolicyNamesTheField() {
    Harness h;
    auto r = h.set(Section::RateLimits,
                   {{"base_version", 1},
                    {"policy", {{"name", "per_ip"}, {"limit", 100}, {"window", "soon"}, {"burst", -1}}}});
    h.settle();
    QVERIFY(r->error);
    QCOMPARE(q(r->error->code), QStringLiteral("invalid"));
    QCOMPARE(q(r->error->field), QStringLiteral("rate_limits[0].window"));
    QVERIFY2(r->error->message.starts_with(h.path + ":"), r->error->message.c_str());
    QVERIFY(r->error->errors.is_array());
    QCOMPARE(r->error->errors.size(), size_t(2));
    QCOMPARE(q(r->error->errors[0]["field"].get<std::string>()), QStringLiteral("rate_limits[0].window"));
    QCOMPARE(q(r->error->errors[1]["field"].get<std::string>()), QStringLiteral("rate_limits[0].burst"));
    QVERIFY(r->error->errors[0]["line"].get<int>() > 0);
    QVERIFY(!r->error->errors[0]["message"].get<std::string>().empty());
    QVERIFY(h.node.applied.empty());
    QCOMPARE(q(readFile(h.path)), q(kConfig));
    QCOMPARE(h.historyFiles(), QStringList{"v1.yaml"});
  }

  void badParamsAreBadRequests() {
    Harness h;
    const std::vector<json> cases = {
        {{"policy", perIp(1)}},                             // no base_version
        {{"base_version", "1"}, {"policy", perIp(1)}},      // not a number
        {{"base_version", 1}},                              // no policy
        {{"base_version", 1}, {"policy", "per_ip"}},        // not an object
        {{"base_version", 1}, {"policy", {{"name", 5}}}},   // name not a string
        {{"base_version", 1}, {"policy", {{"limit", 5}}}},  // no name
        json::array(),                                      // params not an object
    };
    for (const json& params : cases) {
      auto r = h.set(Section::RateLimits, params);
      QCOMPARE(r->count, 1);  // answered at once, before any loop turn
      QVERIFY2(r->error && r->error->code == "bad_request", params.dump().c_str());
    }
    auto d = h.del(Section::RateLimits, {{"base_version", 1}, {"name", 3}});
    QCOMPARE(q(d->error->code), QStringLiteral("bad_request"));
    auto rb = h.call(&ConfigEditor::configRollback, {{"base_version", 1}});
    QCOMPARE(q(rb->error->code), QStringLiteral("bad_request"));
    QVERIFY(h.node.applied.empty());
  }

  void deleteOfAnUnknownPolicyIsNotFound() {
    Harness h;
    auto r = h.del(Section::RateLimits, {{"base_version", 1}, {"name", "nope"}});
    QCOMPARE(q(r->error->code), QStringLiteral("not_found"));
    auto c = h.del(Section::CachePolicies, {{"base_version", 1}, {"name", "per_ip"}});
    QCOMPARE(q(c->error->code), QStringLiteral("not_found"));
  }

  void deleteOfAPolicyInUseNamesTheRoute() {
    Harness h;
    auto r = h.del(Section::RateLimits, {{"base_version", 1}, {"name", "per_ip"}});
    QVERIFY(r->error);
    QCOMPARE(q(r->error->code), QStringLiteral("invalid"));
    QCOMPARE(q(r->error->field), QStringLiteral("routes[0].rate_limits[0]"));
    QVERIFY2(r->error->message.find("rate limit 'per_ip' is not defined") != std::string::npos,
             r->error->message.c_str());
    auto s = h.del(Section::RateLimits, {{"base_version", 1}, {"name", "spare"}});
    QCOMPARE(q(s->error->field), QStringLiteral("routes[1].rate_limits[0]"));
    auto c = h.del(Section::CachePolicies, {{"base_version", 1}, {"name", "short"}});
    QCOMPARE(q(c->error->field), QStringLiteral("routes[0].cache"));
    QVERIFY(h.node.applied.empty());
  }

  void deleteOfAnUnusedPolicy() {
    Harness h;
    auto r = h.del(Section::CachePolicies, {{"base_version", 1}, {"name", "unused"}});
    QVERIFY(!r->error);
    QCOMPARE(q(r->result.dump()), q(json{{"version", 2}, {"persisted", true}}.dump()));
    QVERIFY(h.node.running.config->findCachePolicy("unused") == nullptr);
    QVERIFY(readFile(h.path).find("unused") == std::string::npos);
  }

  void listsShowRoutes() {
    Harness h;
    auto r = h.recorder();
    h.editor->listPolicies(Section::RateLimits, h.peer, nullptr, r);
    QCOMPARE(r->result["version"].get<int>(), 1);
    const json& policies = r->result["policies"];
    QCOMPARE(policies.size(), size_t(2));
    QCOMPARE(q(policies[0].dump()),
             q(json{{"name", "per_ip"}, {"limit", 100}, {"window", "1m"}, {"routes", {"api"}}}.dump()));
    QCOMPARE(q(policies[1]["routes"].dump()), QStringLiteral("[\"other\"]"));
    auto c = h.recorder();
    h.editor->listPolicies(Section::CachePolicies, h.peer, json::object(), c);
    QCOMPARE(q(c->result["policies"][0]["routes"].dump()), QStringLiteral("[\"api\"]"));
    QCOMPARE(q(c->result["policies"][1]["routes"].dump()), QStringLiteral("[]"));
  }

  void unchangedEditKeepsTheVersion() {
    Harness h;
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(100)}});
    h.settle();
    QVERIFY(!r->error);
    QCOMPARE(r->result["version"].get<int>(), 1);
    QCOMPARE(r->result["unchanged"].get<bool>(), true);
    QVERIFY(h.node.applied.empty());
  }

  void editsRunOneAtATime() {
    Harness h;
    // Both arrive before the first has been written: the second waits, then finds version 2.
    auto first = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}}, "first");
    auto second = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(8)}}, "second");
    auto third =
        h.set(Section::CachePolicies,
              {{"base_version", 2}, {"policy", {{"name", "unused"}, {"default_ttl", "2s"}}}}, "third");
    QCOMPARE(first->count + second->count + third->count, 0);  // the first is on the thread pool
    h.settle();
    QCOMPARE(h.answers.order, (std::vector<std::string>{"first:ok", "second:conflict", "third:ok"}));
    QCOMPARE(first->result["version"].get<int>(), 2);
    QCOMPARE(third->result["version"].get<int>(), 3);
    QCOMPARE(h.node.running.config->findRateLimit("per_ip")->limit, uint64_t(7));
    QCOMPARE(h.node.running.config->findCachePolicy("unused")->default_ttl, config::Duration(2000));
    QCOMPARE(h.node.applied.size(), size_t(2));
  }

  void theWaitingQueueIsBounded() {
    Harness h;
    std::vector<std::shared_ptr<Recorder>> queued;
    for (int i = 0; i < 1 + 16; ++i) {  // one in flight, sixteen waiting
      queued.push_back(h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(10 + i)}}));
    }
    auto refused = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(99)}});
    QCOMPARE(refused->count, 1);
    QCOMPARE(q(refused->error->code), QStringLiteral("conflict"));
    QVERIFY2(refused->error->message.find("another edit is in progress") != std::string::npos,
             refused->error->message.c_str());
    h.settle();
    for (const auto& r : queued) {
      QCOMPARE(r->count, 1);
    }
  }

  void rollbackToAKeptVersion() {
    Harness h(true, 3);
    for (int v = 1; v <= 3; ++v) {
      auto r = h.set(Section::RateLimits, {{"base_version", v}, {"policy", perIp(10 * v)}});
      h.settle();
      QCOMPARE(r->result["version"].get<int>(), v + 1);
    }
    // Kept: 2, 3, 4.
    auto gone = h.call(&ConfigEditor::configRollback, {{"base_version", 4}, {"version", 1}});
    QCOMPARE(q(gone->error->code), QStringLiteral("not_found"));
    const std::string v2 = *h.editor->history().text(2);
    auto r = h.call(&ConfigEditor::configRollback, {{"base_version", 4}, {"version", 2}});
    QVERIFY2(!r->error, r->error ? r->error->message.c_str() : "");
    QCOMPARE(r->result["version"].get<int>(), 5);
    QCOMPARE(q(h.node.running.text), q(v2));
    QCOMPARE(q(readFile(h.path)), q(v2));
    QCOMPARE(h.node.running.config->findRateLimit("per_ip")->limit, uint64_t(10));
    QCOMPARE(q(h.editor->history().list().front().what), QStringLiteral("config.rollback to 2"));
    auto history = h.call(&ConfigEditor::configHistory, nullptr);
    const json& versions = history->result["versions"];
    QCOMPARE(versions.size(), size_t(3));
    QCOMPARE(versions[0]["version"].get<int>(), 5);
    QCOMPARE(versions[0]["uid"].get<int>(), 1000);
    QCOMPARE(q(versions[0]["what"].get<std::string>()), QStringLiteral("config.rollback to 2"));
    QCOMPARE(versions[0]["time"].get<std::string>().size(), size_t(20));
  }

  void historyShowsNoUidForStartUp() {
    Harness h;
    auto r = h.call(&ConfigEditor::configHistory, nullptr);
    QCOMPARE(q(r->result.dump()).contains(QStringLiteral("\"uid\":null")), true);
    QCOMPARE(q(r->result["versions"][0]["what"].get<std::string>()), QStringLiteral("start-up"));
  }

  void aWriteFailureChangesNothing() {
    Harness h;
    h.node.running.path = h.path + ".d/missing.yaml";  // a folder that does not exist
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.settle();
    QVERIFY(r->error);
    QCOMPARE(q(r->error->code), QStringLiteral("internal"));
    QCOMPARE(q(r->error->message), q("cannot write " + h.node.running.path + ": No such file or directory"));
    QVERIFY(h.node.applied.empty());
    QCOMPARE(h.node.running.version, uint64_t(1));
    QCOMPARE(h.editor->history().newest(), uint64_t(1));
    QCOMPARE(h.historyFiles(), QStringList{"v1.yaml"});
  }

  void anApplyFailurePutsTheFileBack() {
    Harness h;
    h.node.fail_next_apply = {"t.yaml:7: upstream api: cannot resolve nowhere: Name or service not known"};
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.settle();
    QVERIFY(r->error);
    QCOMPARE(q(r->error->code), QStringLiteral("internal"));
    QVERIFY2(r->error->message.find("cannot resolve nowhere") != std::string::npos,
             r->error->message.c_str());
    QCOMPARE(q(readFile(h.path)), q(kConfig));
    QCOMPARE(h.editor->history().newest(), uint64_t(1));
    QCOMPARE(h.historyFiles(), QStringList{"v1.yaml"});
    // And the next edit is version 2.
    auto next = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.settle();
    QCOMPARE(next->result["version"].get<int>(), 2);
  }

  void embeddedConfigEditsAreNotPersisted() {
    Harness h(false);
    auto r = h.set(Section::CachePolicies,
                   {{"base_version", 1}, {"policy", {{"name", "long"}, {"default_ttl", "1h"}}}});
    h.settle();
    QVERIFY(!r->error);
    QCOMPARE(q(r->result.dump()), q(json{{"version", 2}, {"created", true}, {"persisted", false}}.dump()));
    QCOMPARE(h.editor->history().list().size(), size_t(2));
    auto g = h.call(&ConfigEditor::configGet, nullptr);
    QCOMPARE(g->result["persisted"].get<bool>(), false);
    QCOMPARE(q(g->result["source"].get<std::string>()), QStringLiteral("<embedded>"));
  }

  void reloadNumbersTheFile() {
    Harness h;
    int done = 0;
    h.editor->reload([&] { ++done; });
    h.settle();
    QCOMPARE(done, 1);
    QCOMPARE(h.node.running.version, uint64_t(1));  // the same text keeps its version
    QCOMPARE(h.node.applied, std::vector<std::string>{"SIGHUP"});
    writeFile(h.path, std::string(kConfig) + "log: {level: warn}\n");
    h.editor->reload([&] { ++done; });
    h.settle();
    QCOMPARE(done, 2);
    QCOMPARE(h.node.running.version, uint64_t(2));
    QCOMPARE(q(h.editor->history().list().front().what), QStringLiteral("SIGHUP"));
    // A file that does not validate changes nothing.
    writeFile(h.path, "listeners: 5\n");
    h.editor->reload([&] { ++done; });
    h.settle();
    QCOMPARE(done, 3);
    QCOMPARE(h.node.running.version, uint64_t(2));
    QCOMPARE(h.editor->history().newest(), uint64_t(2));
  }

  // The work that may block (DNS, certificate files) is prepared on the pool, against the running
  // config, and handed to apply on the loop: for an edit and for a reload alike.
  void preparedOffTheLoopThenApplied() {
    Harness h;
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.settle();
    QVERIFY2(!r->error, r->error ? r->error->message.c_str() : "");
    writeFile(h.path, readFile(h.path) + "log: {level: warn}\n");
    h.editor->reload([] {});
    h.settle();
    QCOMPARE(h.node.applied, (std::vector<std::string>{"rate_limits.set per_ip", "SIGHUP"}));
    QCOMPARE(h.node.prepared_at_apply.size(), size_t(2));
    QCOMPARE(q(h.node.prepared_at_apply[0].what), QStringLiteral("rate_limits.set per_ip"));
    QCOMPARE(h.node.prepared_at_apply[0].running_version, uint64_t(1));
    QCOMPARE(q(h.node.prepared_at_apply[1].what), QStringLiteral("SIGHUP"));
    QCOMPARE(h.node.prepared_at_apply[1].running_version, uint64_t(2));
    for (const PreparedMark& mark : h.node.prepared_at_apply) {
      QVERIFY(mark.thread != std::this_thread::get_id());  // the loop runs on this thread
    }
  }

  // A config whose preparation fails (an upstream name that does not resolve, a certificate OpenSSL
  // refuses) is refused before anything is written or numbered, and never reaches apply.
  void aPrepareFailureWritesNothing() {
    Harness h;
    h.node.fail_next_prepare = {"t.yaml:7: upstream api: cannot resolve nowhere: Name or service not known"};
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.settle();
    QVERIFY(r->error);
    QCOMPARE(q(r->error->code), QStringLiteral("internal"));
    QVERIFY2(r->error->message.find("cannot resolve nowhere") != std::string::npos, r->error->message.c_str());
    QCOMPARE(q(readFile(h.path)), q(kConfig));
    QCOMPARE(h.historyFiles(), QStringList{"v1.yaml"});
    QVERIFY(h.node.applied.empty());
    // The same for a reload of a changed file: rejected, the old version keeps serving, no version.
    writeFile(h.path, std::string(kConfig) + "log: {level: warn}\n");
    h.node.fail_next_prepare = {"t.yaml:7: upstream api: cannot resolve nowhere: Name or service not known"};
    int done = 0;
    h.editor->reload([&] { ++done; });
    h.settle();
    QCOMPARE(done, 1);
    QVERIFY(h.node.applied.empty());
    QCOMPARE(h.node.running.version, uint64_t(1));
    QCOMPARE(h.editor->history().newest(), uint64_t(1));
    QCOMPARE(h.historyFiles(), QStringList{"v1.yaml"});
    // Once it prepares, the same reload goes through as version 2.
    h.editor->reload([&] { ++done; });
    h.settle();
    QCOMPARE(h.node.running.version, uint64_t(2));
  }

  void reloadWaitsForAnEditInFlight() {
    Harness h;
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    h.editor->reload([] {});
    h.settle();
    // The reload read the file the edit wrote: same text, same version, nothing undone.
    QCOMPARE(r->result["version"].get<int>(), 2);
    QCOMPARE(h.node.running.version, uint64_t(2));
    QCOMPARE(h.node.running.config->findRateLimit("per_ip")->limit, uint64_t(7));
    QCOMPARE(h.node.applied, (std::vector<std::string>{"rate_limits.set per_ip", "SIGHUP"}));
  }

  void closedEditorRefusesEdits() {
    Harness h;
    h.editor->close();
    auto r = h.set(Section::RateLimits, {{"base_version", 1}, {"policy", perIp(7)}});
    QCOMPARE(q(r->error->code), QStringLiteral("internal"));
  }

  void methodsAreRegistered() {
    Harness h;
    control::MethodTable table;
    h.editor->addMethods(table);
    for (const char* name :
         {"config.get", "config.history", "config.rollback", "rate_limits.list", "rate_limits.set",
          "rate_limits.delete", "cache_policies.list", "cache_policies.set", "cache_policies.delete"}) {
      QVERIFY2(table.find(name) != nullptr, name);
    }
    auto r = h.recorder();
    (*table.find("cache_policies.list"))(h.peer, nullptr, r);
    QCOMPARE(r->result["policies"].size(), size_t(2));
  }
};

QTEST_GUILESS_MAIN(ConfigEditorTest)
#include "config_editor_test.moc"
