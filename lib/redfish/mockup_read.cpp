// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
// Reading a Redfish mockup folder (dir/redfish/v1/**/index.json) into a
// Tree, and import_mockup(). The folder is untrusted: names must be safe
// URI segments, symbolic links must stay inside it, sizes are bounded.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ofmf/redfish/import.hpp"

namespace ofmf::redfish {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

// nlohmann's DOM builder, without exceptions, remembering where parsing
// stopped so that the error can say so.
class PositionedParser : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit PositionedParser(json& out) : json_sax_dom_parser(out, false) {}
  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& ex) {
    position_ = position;
    message_ = ex.what();
    return json_sax_dom_parser::parse_error(position, last_token, ex);
  }
  std::size_t position() const { return position_; }
  const std::string& message() const { return message_; }

 private:
  std::size_t position_ = 0;
  std::string message_;
};

std::string sys_error(const fs::path& p, std::string_view what, const std::error_code& ec) {
  return p.string() + ": " + std::string(what) + ": " + ec.message();
}

// True when `p` (canonical) is `root` (canonical) or below it.
bool inside(const fs::path& p, const fs::path& root) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *q != *r) return false;
  return true;
}

class MockupReader {
 public:
  MockupReader(const fs::path& dir, const ImportOptions& options) : dir_(dir), opt_(options) {}

  Result<Tree> run() {
    std::error_code ec;
    root_ = fs::canonical(dir_, ec);
    if (ec) return fail(errc::io_error, sys_error(dir_, "cannot open the mockup folder", ec));
    const fs::path v1 = dir_ / "redfish" / "v1";
    if (!fs::is_regular_file(v1 / "index.json", ec))
      return fail(errc::io_error, (v1 / "index.json").string() + ": not found: not a Redfish mockup folder");
    // Folders to visit: (path, URI of the folder).
    std::vector<std::pair<fs::path, std::string>> todo{{v1, "/redfish/v1"}};
    while (!todo.empty()) {
      auto [folder, uri] = std::move(todo.back());
      todo.pop_back();
      const auto canon = fs::canonical(folder, ec);
      if (ec) return fail(errc::io_error, sys_error(folder, "cannot resolve", ec));
      if (!inside(canon, root_))
        return fail(errc::io_error, folder.string() + ": symbolic link leads out of the mockup folder " + dir_.string());
      if (!visited_.insert(canon.string()).second)
        return fail(errc::io_error, folder.string() + ": folder reached twice (a symbolic link loop)");
      fs::directory_iterator it(folder, ec);
      if (ec) return fail(errc::io_error, sys_error(folder, "cannot list", ec));
      for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec) return fail(errc::io_error, sys_error(folder, "cannot list", ec));
        const fs::path p = it->path();
        const std::string name = p.filename().string();
        const bool link = it->is_symlink(ec);
        if (link) {
          const auto target = fs::canonical(p, ec);
          if (ec) return fail(errc::io_error, sys_error(p, "cannot resolve the symbolic link", ec));
          if (!inside(target, root_))
            return fail(errc::io_error, p.string() + ": symbolic link leads out of the mockup folder " + dir_.string());
        }
        if (it->is_directory(ec)) {
          const std::string child = uri + "/" + name;
          if (!is_safe_uri(child))
            return fail(errc::invalid_argument, p.string() + ": folder name " + name + " is not a safe URI segment (" +
                                                    child + ")");
          todo.emplace_back(p, child);
        } else if (name == "index.json") {
          if (auto r = read_resource(p, uri == "/redfish/v1" ? std::string("/redfish/v1/") : uri); !r)
            return fail(std::move(r).error());
        }
      }
    }
    return std::move(tree_);
  }

 private:
  fs::path dir_;
  const ImportOptions& opt_;
  fs::path root_;
  Tree tree_;
  std::set<std::string> visited_;
  std::size_t bytes_ = 0;

  Result<void> read_resource(const fs::path& p, const std::string& uri) {
    if (tree_.size() >= opt_.max_resources)
      return fail(errc::limit_exceeded, p.string() + ": more than ImportOptions::max_resources (" +
                                            std::to_string(opt_.max_resources) + ") resources");
    std::error_code ec;
    const auto size = fs::file_size(p, ec);
    if (ec) return fail(errc::io_error, sys_error(p, "cannot read", ec));
    if (size > opt_.max_bytes || bytes_ + size > opt_.max_bytes)
      return fail(errc::limit_exceeded, p.string() + ": the mockup exceeds ImportOptions::max_bytes (" +
                                            std::to_string(opt_.max_bytes) + " bytes)");
    std::string text(static_cast<std::size_t>(size), '\0');
    std::ifstream in(p, std::ios::binary);
    if (!in.read(text.data(), static_cast<std::streamsize>(text.size())) || in.peek() != std::char_traits<char>::eof())
      return fail(errc::io_error, p.string() + ": cannot read (file changed or unreadable)");
    bytes_ += text.size();
    json doc;
    PositionedParser parser(doc);
    if (!json::sax_parse(text, &parser, nlohmann::detail::input_format_t::json, true) || parser.is_errored())
      return fail(errc::parse_error, p.string() + ": malformed JSON at byte " + std::to_string(parser.position()) + ": " +
                                         parser.message());
    if (!doc.is_object())
      return fail(errc::parse_error, p.string() + ": " + uri + ": expected a JSON object, found " + doc.type_name());
    const auto id = doc.find("@odata.id");
    if (id == doc.end()) return fail(errc::parse_error, p.string() + ": " + uri + ": @odata.id: required property missing");
    if (!id->is_string()) return fail(errc::parse_error, p.string() + ": " + uri + ": @odata.id: expected a string");
    if (id->get_ref<const std::string&>() != uri)
      return fail(errc::inconsistent, p.string() + ": " + uri + ": @odata.id: " + id->get_ref<const std::string&>() +
                                          " differs from the file's place in the mockup");
    tree_.insert_or_assign(uri, std::move(doc));
    return {};
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
