// The fuzz target's inputs as regression tests in the ordinary suite (GCC Release
// and ASan/UBSan): every file in tests/fuzz/corpus/ (the seeds, and any input the
// fuzzer once crashed on, added there with its fix) and a few hand-made nasties go
// through the same entry point as under libFuzzer (tests/fuzz/fuzz_parsers.cpp),
// which lets only InputError and UsageError out and aborts on a 5xx.
#include <cstdint>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "test_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {
int feed(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}
}  // namespace

TEST_CASE("fuzz corpus: every seed and past finding is refused or accepted cleanly", "[fuzz]") {
  namespace fs = std::filesystem;
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(test_support::source_path("tests/fuzz/corpus"))) {
    INFO(e.path().filename().string());
    CHECK(feed(test_support::slurp(e.path().string())) == 0);
    ++n;
  }
  CHECK(n >= 20);  // the seeds are there: models, profiles, plans, requests
}

TEST_CASE("fuzz corpus: hand-made edge cases of each parser", "[fuzz]") {
  for (const std::string& input : {
           std::string("0"), std::string("0{\"model_type\": \"llama\", \"hidden_size\": 1e400}"),
           std::string("0{\"model_type\": \"llama\", \"hidden_size\": -9223372036854775808, \"num_hidden_layers\": 1}"),
           std::string("1{\"format\": \"traincost.model.v1\", \"num_layers\": 4294967297}"),
           std::string("2{\"id\": \"x\", \"peak_dense_tflops\": {\"bf16\": 1e308}, \"memory_gb\": \"80\"}"),
           std::string("3tp=99999999999999999999,pp=0"), std::string("3,,,=,tp=,=1"), std::string("3mb=-1"),
           std::string("4params\n{\"model_config\": {\"model_type\": \"llama\", \"hidden_size\": 1e9}}"),
           std::string("4flops\n{\"model\": \"llama-3.1-8b\", \"seq_len\": 1e300}"),
           std::string("4estimate\n{\"gpus\": [1], \"tokens\": {\"a\": null}}"), std::string("4nope\n{}"),
           std::string("\xff\xfe\x00", 3)}) {
    INFO(input);
    CHECK(feed(input) == 0);
  }
}
