// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Reading a Redfish mockup folder (dir/redfish/v1/**/index.json) into a
// Tree, and import_mockup(). The folder is untrusted: names must be safe
// URI segments, symbolic links must stay inside it, no folder is read
// twice, sizes are bounded.
//
// The walk works relative to open folders (openat, getdents64, fstatat):
// a path is never walked again from `/`, and only an entry that is a
// symbolic link is resolved (realpath) to check where it leads. Each file
// is checked with simdjson (one parser per thread, reused) and stored in
// the tree as its compact text (white space outside strings removed,
// everything else as written: numbers keep their exact digits); no
// nlohmann::json value is built, except to locate the error in a
// malformed file.
//
// Threads: the calling thread walks depth first, subfolders by name; a
// folder with many subfolders (Endpoints, Switches, Chassis of a large
// fabric) is cut into pieces that helper threads take too, each piece a
// run of that walk, with its parent folder kept open until the last piece
// is done. Errors are reported as one thread would find them: each is
// keyed by its folder's place in the walk, the first in that order wins,
// and folders after it are not walked; of two ways to one folder, the
// later is the error. A limit (resources, bytes) crossed stops the whole
// walk and names the mockup folder.
//
// Duplicate keys: simdjson's DOM keeps every occurrence of a key (its
// lookup finds the first), nlohmann keeps one, with the last value. A file
// holding an object with a key twice would thus mean different things to
// different readers of the tree; it is refused (errc::parse_error).

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "core/detail/parallel.hpp"
#include "ofmf/redfish/import.hpp"
#include "core/detail/fd.hpp"
#include "core/detail/json_parse.hpp"
#include "redfish/detail/json_text.hpp"
#include "redfish/detail/tree_access.hpp"

namespace ofmf::redfish {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// nlohmann's SAX interface keeping nothing, remembering where parsing
// stopped and why (used only on malformed files, to place the error): no
// value is built, and parsing stops at the first value nested deeper than
// `max_depth` (levels as simdjson counts them), so a hostile file costs
// no more than its text.
class Locator {
 public:
  explicit Locator(std::size_t max_depth) noexcept : max_depth_(max_depth) {}

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(json::number_integer_t) { return value(); }
  bool number_unsigned(json::number_unsigned_t) { return value(); }
  bool number_float(json::number_float_t, const std::string&) { return value(); }
  bool string(std::string&) { return value(); }
  bool binary(json::binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(); }
  bool key(std::string&) { return value(); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(); }
  bool end_array() { return close(); }
  /// Parsing stopped at a value nested deeper than max_depth.
  bool too_deep() const noexcept { return too_deep_; }
  template <class Exception>
  bool parse_error(std::size_t position, const std::string&, const Exception& ex) {
    position_ = position;
    message_ = ex.what();
    return false;
  }
  std::size_t position() const { return position_; }
  const std::string& message() const { return message_; }

 private:
  std::size_t max_depth_;
  std::size_t open_ = 0;  // containers open
  bool too_deep_ = false;
  std::size_t position_ = 0;
  std::string message_;

  bool value() {
    too_deep_ = open_ >= max_depth_;
    return !too_deep_;
  }
  bool open() {
    if (!value()) return false;
    ++open_;
    return true;
  }
  bool close() {
    --open_;
    return true;
  }
};

std::string sys_error(const std::string& p, std::string_view what, int err) {
  return p + ": " + std::string(what) + ": " + std::error_code(err, std::system_category()).message();
}

/// True when the canonical path `p` is the canonical path `root` or below it.
bool inside(std::string_view p, std::string_view root) {
  if (root == "/") return true;
  return p.size() >= root.size() && p.substr(0, root.size()) == root &&
         (p.size() == root.size() || p[root.size()] == '/');
}

/// The name nlohmann gives the type of a value.
const char* type_name(simdjson::dom::element_type t) {
  using simdjson::dom::element_type;
  switch (t) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
    default: return "number";
  }
}

/// Looks for an object holding a key twice in `e`; on finding one, sets
/// `where` to the JSON pointer of that object and `key` to the key.
/// `keys` is scratch space.
bool find_duplicate_key(simdjson::dom::element e, std::vector<std::string_view>& keys, std::string& where,
                        std::string_view& key) {
  using simdjson::dom::element_type;
  if (e.type() == element_type::OBJECT) {
    const simdjson::dom::object obj = e.get_object().value_unsafe();
    const std::size_t first = keys.size();
    for (simdjson::dom::key_value_pair kv : obj) keys.push_back(kv.key);
    const std::size_t n = keys.size() - first;
    bool dup = false;
    if (n <= 8) {
      for (std::size_t i = first; i < keys.size() && !dup; ++i)
        for (std::size_t j = i + 1; j < keys.size(); ++j)
          if (keys[i] == keys[j]) {
            key = keys[i];
            dup = true;
            break;
          }
    } else {
      std::sort(keys.begin() + std::ptrdiff_t(first), keys.end());
      auto it = std::adjacent_find(keys.begin() + std::ptrdiff_t(first), keys.end());
      if (it != keys.end()) {
        key = *it;
        dup = true;
      }
    }
    keys.resize(first);
    if (dup) {
      where.clear();
      return true;
    }
    for (simdjson::dom::key_value_pair kv : obj)
      if (find_duplicate_key(kv.value, keys, where, key)) {
        std::string inner = std::move(where);
        where.clear();
        ofmf::detail::pointer_append(where, kv.key);
        where += inner;
        return true;
      }
  } else if (e.type() == element_type::ARRAY) {
    const simdjson::dom::array arr = e.get_array().value_unsafe();
    std::size_t i = 0;
    for (simdjson::dom::element v : arr) {
      if (find_duplicate_key(v, keys, where, key)) {
        where = "/" + std::to_string(i) + where;
        return true;
      }
      ++i;
    }
  }
  return false;
}

using ofmf::detail::Fd;

/// True when the folder `a` comes before the folder `b` in the walk's
/// order (depth first, subfolders by name): the URIs compared segment by
/// segment, as if '/' sorted before every other character.
bool walk_before(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    if (a[i] == '/') return true;
    if (b[i] == '/') return false;
    return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  }
  return a.size() < b.size();
}

class MockupReader {
 public:
  MockupReader(const fs::path& dir, const ImportOptions& options) : dir_(dir.string()), opt_(options) {}

  ~MockupReader() { join_helpers(); }

  Result<Tree> run() {
    std::unique_ptr<char, decltype(&std::free)> root(::realpath(dir_.c_str(), nullptr), &std::free);
    if (!root) return fail(errc::io_error, sys_error(dir_, "cannot open the mockup folder", errno));
    root_ = root.get();
    const std::string index = (fs::path(dir_) / "redfish" / "v1" / "index.json").string();
    struct stat st {};
    if (::stat(index.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      return fail(errc::io_error, index + ": not found: not a Redfish mockup folder");

    Fd top(::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (top.fd < 0) return fail(errc::io_error, sys_error(dir_, "cannot open the mockup folder", errno));
    // dir/redfish and dir/redfish/v1 follow the rules of every folder.
    Scratch& s = *scratch_.emplace_back(std::make_unique<Scratch>());
    Folder redfish;
    redfish_path_ = (fs::path(dir_) / "redfish").string();
    if (auto r = enter(top.fd, root_, "redfish", "", false, redfish); !r)
      return fail(std::move(r).error());
    auto v1 = std::make_shared<Folder>();
    if (auto r = enter(redfish.dir.fd, redfish.canon, "v1", "/redfish/v1", false, *v1); !r)
      return fail(std::move(r).error());
    redfish = Folder();
    if (auto r = list(s, *v1); !r) return fail(std::move(r).error());

    // The folders below are walked by this thread and, once a large folder
    // is found, by helpers (share()).
    const std::size_t n = v1->subfolders.size();
    if (n > 0) queue_.push_back({std::move(v1), 0, n});
    try {
      work(s);
    } catch (...) {
      stop();
      join_helpers();
      throw;
    }
    join_helpers();
    if (helper_failure_) std::rethrow_exception(helper_failure_);
    if (error_) return fail(std::move(error_->second));

    std::vector<std::pair<std::string, std::string>> all;
    std::size_t total = 0;
    for (const auto& x : scratch_) total += x->read.size();
    all.reserve(total);
    for (auto& x : scratch_) {
      std::move(x->read.begin(), x->read.end(), std::back_inserter(all));
      x->read = {};
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Tree tree;
    for (auto& [uri, text] : all) detail::TreeAccess::append_text(tree, std::move(uri), std::move(text));
    return tree;
  }

 private:
  /// An open, checked folder.
  struct Folder {
    Fd dir;
    std::string canon;  // canonical path (for resolving symbolic links below it)
    std::string uri;    // "/redfish/v1/..." (no trailing '/')
    std::vector<std::pair<std::string, bool>> subfolders;  // (name, listed as a folder, not a link), by name
  };
  using FolderPtr = std::shared_ptr<const Folder>;

  /// The subfolders [begin, end) of `parent`, each with all below it.
  struct Task {
    FolderPtr parent;
    std::size_t begin = 0, end = 0;
  };

  /// What one walking thread has of its own.
  struct Scratch {
    simdjson::dom::parser parser;
    std::string buffer;                  // file text + simdjson's padding
    std::vector<char> minified;          // scratch for simdjson::minify
    std::vector<std::string_view> keys;  // scratch for find_duplicate_key
    std::vector<std::uint64_t> dirents = std::vector<std::uint64_t>(8192);  // getdents64 buffer (64 KiB, aligned)
    std::vector<std::pair<std::string, std::string>> read;                   // (URI, compact text)
  };

  /// A folder with this many subfolders is shared out in pieces.
  static constexpr std::size_t share_at = 64;
  /// Files larger than this are read and parsed one at a time (under
  /// big_mutex_), and the reading thread frees its buffers afterwards, so
  /// that the threads together hold at most one large file's buffers.
  static constexpr std::size_t big_file = std::size_t{1} << 20;

  std::string dir_;
  const ImportOptions& opt_;
  std::string root_;  // canonical path of dir_
  std::string redfish_path_;  // dir_/redfish, as errors name it
  std::atomic<std::size_t> resources_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::vector<std::unique_ptr<Scratch>> scratch_;  // [0]: the calling thread's

  std::mutex big_mutex_;  // held while a file above big_file is read

  std::mutex visited_mutex_;
  std::map<std::pair<dev_t, ino_t>, std::string> visited_;  // -> URI of the way taken to it

  // Under mutex_: the work queue, the helpers, the error to report.
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Task> queue_;
  std::size_t busy_ = 0;  // tasks being walked
  bool abort_ = false;    // a thread failed with an exception
  std::vector<std::thread> helpers_;
  std::exception_ptr helper_failure_;
  // The error first in the walk's order among those found, keyed by the
  // URI of its folder ("" for a limit: before everything). Folders after
  // it are not walked; those before it are, so the error reported is the
  // one a walk on one thread finds first.
  std::optional<std::pair<std::string, Error>> error_;
  std::atomic<bool> has_error_{false};

  /// Takes tasks until there are none left and no thread is walking.
  void work(Scratch& s) {
    std::unique_lock lock(mutex_);
    for (;;) {
      cv_.wait(lock, [&] { return abort_ || !queue_.empty() || busy_ == 0; });
      if (abort_ || queue_.empty()) break;
      Task t = std::move(queue_.back());
      queue_.pop_back();
      ++busy_;
      lock.unlock();
      walk(s, t);
      t = Task();
      lock.lock();
      --busy_;
    }
    cv_.notify_all();
  }

  /// After an exception: every thread stops walking.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      abort_ = true;
    }
    has_error_.store(true, std::memory_order_release);
    cv_.notify_all();
  }

  /// Joins the helpers. None is started once abort_ is set or the walk
  /// is over, so the list is complete when this runs.
  void join_helpers() {
    std::vector<std::thread> helpers;
    {
      std::lock_guard lock(mutex_);
      helpers.swap(helpers_);
    }
    for (auto& h : helpers) h.join();
  }

  /// Whether a folder at `uri` still needs walking: no error found before it.
  bool wanted(std::string_view uri) {
    if (!has_error_.load(std::memory_order_acquire)) return true;
    std::lock_guard lock(mutex_);
    return !abort_ && error_ && walk_before(uri, error_->first);
  }

  void record(std::string key, Error e) {
    std::lock_guard lock(mutex_);
    if (!error_ || walk_before(key, error_->first)) error_.emplace(std::move(key), std::move(e));
    has_error_.store(true, std::memory_order_release);
  }

  /// Depth first through the task's subfolders; a large folder is shared.
  void walk(Scratch& s, const Task& task) {
    struct Frame {
      FolderPtr f;
      std::size_t next, end;
    };
    std::vector<Frame> stack{{task.parent, task.begin, task.end}};
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == top.end) {
        stack.pop_back();
        continue;
      }
      const Folder& parent = *top.f;
      const auto& [name, plain] = parent.subfolders[top.next++];
      std::string uri = parent.uri + "/" + name;
      // Later folders of this task come after this one in the walk too.
      if (!wanted(uri)) return;
      auto child = std::make_shared<Folder>();
      if (auto r = enter(parent.dir.fd, parent.canon, name, uri, plain, *child); !r)
        return record(std::move(uri), std::move(r).error());
      if (auto r = list(s, *child); !r) return record(std::move(uri), std::move(r).error());
      const std::size_t n = child->subfolders.size();
      if (n >= share_at)
        share(std::move(child));
      else if (n > 0)
        stack.push_back({std::move(child), 0, n});
    }
  }

  /// Puts the subfolders of `f` on the queue in pieces, starting helpers
  /// the first time.
  void share(FolderPtr f) {
    const std::size_t n = f->subfolders.size();
    const unsigned threads = std::min(8u, ofmf::detail::worker_count(0, n));
    const std::size_t piece = std::max<std::size_t>(share_at / 2, (n + 4 * threads - 1) / (4 * threads));
    {
      std::lock_guard lock(mutex_);
      // Last piece first: the queue is taken from its back, in walk order.
      for (std::size_t end = n; end > 0;) {
        const std::size_t begin = end > piece ? end - piece : 0;
        queue_.push_back({f, begin, end});
        end = begin;
      }
      if (helpers_.empty() && threads > 1 && !abort_) {
        try {
          helpers_.reserve(threads - 1);
          for (unsigned t = 1; t < threads; ++t) {
            Scratch& hs = *scratch_.emplace_back(std::make_unique<Scratch>());
            helpers_.emplace_back([this, &hs] { help(hs); });
          }
        } catch (const std::system_error&) {
          // Fewer helpers than asked: the others share the work.
        }
      }
    }
    cv_.notify_all();
  }

  void help(Scratch& s) {
    try {
      work(s);
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        if (!helper_failure_) helper_failure_ = std::current_exception();
      }
      stop();
    }
  }

  static constexpr char reached_twice[] = "folder reached twice (a symbolic link loop)";

  /// The path errors name for the folder at `uri` ("" = dir/redfish);
  /// built only for an error.
  std::string path_of(std::string_view uri) const {
    return redfish_path_ + std::string(uri.empty() ? uri : uri.substr(std::string_view("/redfish").size()));
  }

  /// Where a symbolic link `name` in the folder `canon` leads (canonical),
  /// refused when it leaves the mockup.
  Result<std::string> resolve_link(const std::string& canon, const std::string& name, const std::string& path) {
    const std::string link = canon + "/" + name;
    std::unique_ptr<char, decltype(&std::free)> target(::realpath(link.c_str(), nullptr), &std::free);
    if (!target) return fail(errc::io_error, sys_error(path, "cannot resolve the symbolic link", errno));
    if (!inside(target.get(), root_))
      return fail(errc::io_error, path + ": symbolic link leads out of the mockup folder " + dir_);
    return std::string(target.get());
  }

  /// Opens the folder `name` of the folder `parent_fd` (canonical path
  /// `parent_canon`) into `out`, after the checks: a symbolic link must stay
  /// inside the mockup; no folder twice (the later of two ways to a folder,
  /// in the walk's order, is the error). `plain`: the parent's listing said
  /// it is a folder, not a symbolic link.
  Result<void> enter(int parent_fd, const std::string& parent_canon, const std::string& name, std::string uri,
                     bool plain, Folder& out) {
    struct stat st {};
    if (!plain && ::fstatat(parent_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      return fail(errc::io_error, sys_error(path_of(uri), "cannot resolve", errno));
    std::string canon;
    if (!plain && S_ISLNK(st.st_mode)) {
      auto target = resolve_link(parent_canon, name, path_of(uri));
      if (!target) return fail(std::move(target).error());
      canon = std::move(*target);
    } else {
      canon = parent_canon == "/" ? "/" + name : parent_canon + "/" + name;
    }
    // O_NOFOLLOW for a plain folder: if it was replaced by a link since it
    // was listed, the link is not followed unchecked.
    const int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | (plain ? O_NOFOLLOW : 0));
    if (fd < 0) return fail(errc::io_error, sys_error(path_of(uri), "cannot list", errno));
    Fd d(fd);
    if (::fstat(fd, &st) != 0) return fail(errc::io_error, sys_error(path_of(uri), "cannot resolve", errno));
    {
      std::lock_guard lock(visited_mutex_);
      auto [it, fresh] = visited_.try_emplace({st.st_dev, st.st_ino}, uri);
      if (!fresh) {
        if (walk_before(it->second, uri)) return fail(errc::io_error, path_of(uri) + ": " + reached_twice);
        // The other way to this folder comes later in the walk: it is the
        // error, and this one is walked instead.
        record(it->second, Error{make_error_code(errc::io_error), path_of(it->second) + ": " + reached_twice});
        it->second = uri;
      }
    }
    out.dir = std::move(d);
    out.canon = std::move(canon);
    out.uri = std::move(uri);
    return {};
  }

  /// Lists the folder `f`: reads its index.json, notes its subfolders.
  Result<void> list(Scratch& s, Folder& f) {
    bool has_index = false;
    char* const buf = reinterpret_cast<char*>(s.dirents.data());
    const std::size_t buf_size = s.dirents.size() * sizeof(std::uint64_t);
    for (;;) {
      const ssize_t got = ::getdents64(f.dir.fd, buf, buf_size);
      if (got < 0) {
        if (errno == EINTR) continue;
        return fail(errc::io_error, sys_error(path_of(f.uri), "cannot list", errno));
      }
      if (got == 0) break;
      for (ssize_t off = 0; off < got;) {
        const auto* e = reinterpret_cast<const struct dirent64*>(buf + off);
        off += e->d_reclen;
        const std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        unsigned char type = e->d_type;
        std::string path;
        if (type == DT_UNKNOWN || type == DT_LNK) {
          path = path_of(f.uri) + "/" + std::string(name);
          struct stat st {};
          if (::fstatat(f.dir.fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return fail(errc::io_error, sys_error(path, "cannot list", errno));
          type = S_ISLNK(st.st_mode)   ? DT_LNK
                 : S_ISDIR(st.st_mode) ? DT_DIR
                 : S_ISREG(st.st_mode) ? DT_REG
                                       : DT_UNKNOWN;
          if (type == DT_LNK) {
            // Every link must stay inside the mockup; then it counts as what
            // it leads to.
            auto target = resolve_link(f.canon, std::string(name), path);
            if (!target) return fail(std::move(target).error());
            if (::stat(target->c_str(), &st) != 0)
              return fail(errc::io_error, sys_error(path, "cannot resolve the symbolic link", errno));
            type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
          }
        }
        if (type == DT_DIR) {
          const std::string child = f.uri + "/" + std::string(name);
          if (!is_safe_uri(child)) {
            if (path.empty()) path = path_of(f.uri) + "/" + std::string(name);
            return fail(errc::invalid_argument, path + ": folder name " + std::string(name) +
                                                    " is not a safe URI segment (" + child + ")");
          }
          f.subfolders.emplace_back(std::string(name), e->d_type == DT_DIR);
        } else if (name == "index.json") {
          if (type != DT_REG) {
            if (path.empty()) path = path_of(f.uri) + "/" + std::string(name);
            return fail(errc::io_error, path + ": cannot read: not a regular file");
          }
          has_index = true;
        }
      }
    }
    // Subfolders in name order (the walk does not depend on the order the
    // filesystem lists them in).
    std::sort(f.subfolders.begin(), f.subfolders.end());
    if (has_index) return read_resource(s, f, f.uri == "/redfish/v1" ? std::string("/redfish/v1/") : f.uri);
    return {};
  }

  /// A limit error: reported before any other, and nothing more is walked.
  Unexpected over_limit(std::string message) {
    record("", Error{make_error_code(errc::limit_exceeded), message});
    return fail(errc::limit_exceeded, std::move(message));
  }

  Result<void> read_resource(Scratch& s, const Folder& f, std::string uri) {
    const auto p = [&] { return path_of(f.uri) + "/index.json"; };
    if (resources_.fetch_add(1, std::memory_order_relaxed) >= opt_.max_resources)
      return over_limit(dir_ + ": more than ImportOptions::max_resources (" + std::to_string(opt_.max_resources) +
                        ") resources");
    // O_NONBLOCK: a file replaced by a FIFO since it was listed does not
    // block the reader (it is refused below).
    Fd fd(::openat(f.dir.fd, "index.json", O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.fd < 0) return fail(errc::io_error, sys_error(p(), "cannot read", errno));
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0) return fail(errc::io_error, sys_error(p(), "cannot read", errno));
    if (!S_ISREG(st.st_mode)) return fail(errc::io_error, p() + ": cannot read: not a regular file");
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > opt_.max_file_bytes)
      return fail(errc::limit_exceeded, p() + ": " + uri + ": " + std::to_string(size) +
                                            " bytes, larger than ImportOptions::max_file_bytes (" +
                                            std::to_string(opt_.max_file_bytes) + " bytes)");
    if (bytes_.fetch_add(size, std::memory_order_relaxed) + size > opt_.max_bytes)
      return over_limit(dir_ + ": the mockup exceeds ImportOptions::max_bytes (" + std::to_string(opt_.max_bytes) +
                        " bytes)");
    const auto n = static_cast<std::size_t>(size);
    if (n <= big_file) return read_text(s, fd.fd, p, std::move(uri), n);
    std::lock_guard lock(big_mutex_);
    auto r = read_text(s, fd.fd, p, std::move(uri), n);
    // Back to small buffers: a parser's index and tape take about 16
    // times the largest file it parsed.
    s.parser = simdjson::dom::parser();
    std::string().swap(s.buffer);
    std::vector<char>().swap(s.minified);
    return r;
  }

  /// Reads the `n` bytes of the open index.json `fd` (file `p()`), checks
  /// them and keeps their compact text.
  template <class Path>
  Result<void> read_text(Scratch& s, int fd, const Path& p, std::string uri, std::size_t n) {
    // One byte more than the size, to notice a file that grew.
    std::string& buffer = s.buffer;
    if (buffer.size() < n + 1 + simdjson::SIMDJSON_PADDING) buffer.resize(n + 1 + simdjson::SIMDJSON_PADDING);
    std::size_t got = 0;
    while (got < n + 1) {
      const ssize_t r = ::read(fd, buffer.data() + got, n + 1 - got);
      if (r < 0) {
        if (errno == EINTR) continue;
        return fail(errc::io_error, sys_error(p(), "cannot read", errno));
      }
      if (r == 0) break;
      got += std::size_t(r);
      // A short read of a regular file is its end: no second call to see it.
      if (std::size_t(r) < n + 1 - (got - std::size_t(r))) break;
    }
    if (got != n) return fail(errc::io_error, p() + ": cannot read (file changed or unreadable)");
    const std::string_view text(buffer.data(), n);

    if (s.parser.max_depth() != opt_.max_depth) {
      if (auto err = s.parser.allocate(n, opt_.max_depth))
        return fail(errc::parse_error, p() + ": " + uri + ": cannot parse: " + simdjson::error_message(err));
    }
    simdjson::dom::element doc;
    if (auto err = s.parser.parse(buffer.data(), n, false).get(doc)) return malformed(p(), uri, text, err);
    if (doc.type() != simdjson::dom::element_type::OBJECT)
      return fail(errc::parse_error, p() + ": " + uri + ": expected a JSON object, found " + type_name(doc.type()));
    std::string where;
    std::string_view dup;
    if (find_duplicate_key(doc, s.keys, where, dup))
      return fail(errc::parse_error, p() + ": " + uri + ": " + (where.empty() ? std::string("/") : where) + ": key \"" +
                                         std::string(dup) + "\" appears twice");
    const simdjson::dom::object obj = doc.get_object().value_unsafe();
    simdjson::dom::element id;
    if (obj.at_key("@odata.id").get(id) != simdjson::SUCCESS)
      return fail(errc::parse_error, p() + ": " + uri + ": @odata.id: required property missing");
    std::string_view id_text;
    if (id.get_string().get(id_text) != simdjson::SUCCESS)
      return fail(errc::parse_error, p() + ": " + uri + ": @odata.id: expected a string");
    if (id_text != uri)
      return fail(errc::inconsistent, p() + ": " + uri + ": @odata.id: " + std::string(id_text) +
                                          " differs from the file's place in the mockup");

    // The compact text: white space outside strings removed, the rest as
    // written (the file was just checked to be valid JSON).
    if (s.minified.size() < n) s.minified.resize(n);
    std::size_t len = 0;
    if (auto err = simdjson::minify(buffer.data(), n, s.minified.data(), len))
      return fail(errc::parse_error, p() + ": " + uri + ": cannot minify: " + simdjson::error_message(err));
    s.read.emplace_back(std::move(uri), std::string(s.minified.data(), len));
    return {};
  }

  /// The error for a file simdjson refused: nlohmann, parsing it again
  /// without building a value, says at which byte and why, or that the
  /// nesting got too deep first (then a scan of the text finds the byte).
  Unexpected malformed(const std::string& p, const std::string& uri, std::string_view text,
                       simdjson::error_code err) const {
    auto too_deep = [&] {
      const std::size_t at = detail::first_too_deep(text, opt_.max_depth);
      return fail(errc::parse_error, p + ": " + uri + ": nested deeper than ImportOptions::max_depth (" +
                                         std::to_string(opt_.max_depth) + " levels)" +
                                         (at == std::string_view::npos ? std::string()
                                                                       : " at byte " + std::to_string(at)));
    };
    if (err == simdjson::DEPTH_ERROR) return too_deep();
    Locator locator(opt_.max_depth);
    if (!json::sax_parse(text, &locator, nlohmann::detail::input_format_t::json, true)) {
      if (locator.too_deep()) return too_deep();
      return fail(errc::parse_error, p + ": malformed JSON at byte " + std::to_string(locator.position()) + ": " +
                                         locator.message());
    }
    // Valid JSON beyond what the reader takes (an integer beyond 64 bits).
    return fail(errc::parse_error, p + ": unsupported JSON: " + simdjson::error_message(err));
  }
};

} // namespace

Result<Tree> read_mockup(const std::filesystem::path& dir, const ImportOptions& options) {
  return MockupReader(dir, options).run();
}

Result<model::Fabric> import_mockup(const std::filesystem::path& dir, const ImportOptions& options) {
  auto tree = read_mockup(dir, options);
  if (!tree) return fail(std::move(tree).error());
  return import_tree(*tree, options);
}

} // namespace ofmf::redfish
