// Fuzz target: arrivals mapping files (JSON, docs/arrivals-format.md#mapping-files), read from
// text and from a file. Both ways must agree: the same mapping, or the same documented error.
#include "fuzz_support.hpp"
#include "scenarios/arrivals.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace supportsim;

namespace {

/// The outcome of reading a mapping: "" for a mapping, or the error's message with the file name
/// taken out (the two ways name the file differently).
template <class Read> std::string outcome(Read &&read, const std::string &name) {
  std::string message;
  fuzz::expect_only_input_errors([&] {
    try {
      read();
    } catch (const scenarios::InputError &e) {
      message = e.what();
      for (std::size_t at; (at = message.find(name)) != std::string::npos;)
        message.erase(at, name.size());
      if (message.empty()) message = "(an error with an empty message)";
    }
  });
  return message;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  static const fuzz::ScratchFile mapping_file("mapping.json");
  const std::string_view text = fuzz::as_text(data, size);
  const std::string &path = mapping_file.write(text);
  const std::string from_text =
      outcome([&] { scenarios::parse_arrivals_mapping(text, path); }, path);
  const std::string from_file = outcome([&] { scenarios::load_arrivals_mapping(path); }, path);
  if ((from_text.empty()) != (from_file.empty()))
    fuzz::property_failed("a mapping read from text and from a file disagree: '" + from_text +
                          "' against '" + from_file + "'");
  return 0;
}
