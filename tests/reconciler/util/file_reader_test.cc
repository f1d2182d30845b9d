#include "reconciler/util/file_reader.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/temp_dir.h"

using namespace pkiform;
using pkiform::testing::TempDir;

namespace {

constexpr limits::FileLimit kTen{10, "a test file"};

}  // namespace

TEST_CASE("a regular file is read whole up to its limit, and refused one byte over it", "[file_reader]") {
  TempDir dir;
  auto exact = ReadBoundedFile(dir.Write("ten", "0123456789"), kTen);
  REQUIRE(exact.ok());
  CHECK(*exact == "0123456789");
  auto over = ReadBoundedFile(dir.Write("eleven", "0123456789A"), kTen);
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().message() == "is larger than 10 bytes, the most pkiform reads for a test file");
  CHECK(ReadBoundedFile(dir.Write("empty", ""), kTen).value().empty());
}

TEST_CASE("a file whose size stat() does not know is still bounded", "[file_reader]") {
  // /proc files say 0 bytes: the limit counts what is read.
  auto status = ReadBoundedFile("/proc/self/status", limits::kCertificateFile);
  REQUIRE(status.ok());
  CHECK_FALSE(status->empty());
  CHECK_FALSE(ReadBoundedFile("/proc/self/status", kTen).ok());
}

TEST_CASE("a FIFO, a device and a directory are refused without being read", "[file_reader]") {
  TempDir dir;
  const std::string fifo = (dir.path() / "pipe").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Before: the open() blocked forever, waiting for a writer.
  auto from_fifo = ReadBoundedFile(fifo, kTen);
  REQUIRE_FALSE(from_fifo.ok());
  CHECK(from_fifo.status().message() == "is a FIFO (named pipe), not a regular file");
  CHECK(ReadBoundedFile("/dev/zero", limits::kManifestFile).status().message() ==
        "is a character device, not a regular file");
  CHECK(ReadBoundedFile(dir.path().string(), kTen).status().message() == "is a directory, not a file");
  CHECK(CheckRegularFile(fifo).code() == Status::Code::kInvalidInput);
  CHECK(CheckRegularFile("/dev/urandom").message() == "is a character device, not a regular file");
}

TEST_CASE("loops, long names and missing files are errors with the system's words", "[file_reader]") {
  TempDir dir;
  std::filesystem::create_symlink("b", dir.path() / "a");
  std::filesystem::create_symlink("a", dir.path() / "b");
  CHECK(ReadBoundedFile((dir.path() / "a").string(), kTen).status().message() ==
        "cannot read file: Too many levels of symbolic links");
  const std::string long_name = (dir.path() / std::string(256, 'x')).string();
  CHECK(ReadBoundedFile(long_name, kTen).status().message() == "cannot read file: File name too long");
  CHECK(CheckRegularFile(long_name).code() == Status::Code::kIoError);
  CHECK(CheckRegularFile((dir.path() / "missing").string()).code() == Status::Code::kNotFound);
  CHECK(CheckRegularFile((dir.path() / "missing").string()).message() ==
        "cannot read file: No such file or directory");
}

TEST_CASE("RegularFile reads into a buffer the caller owns", "[file_reader]") {
  TempDir dir;
  auto file = RegularFile::Open(dir.Write("secret", "s3cret\n"));
  REQUIRE(file.ok());
  char buffer[4];
  auto n = file->ReadUpTo(buffer, sizeof buffer);
  REQUIRE(n.ok());
  CHECK(*n == 4);
  CHECK(std::string(buffer, 4) == "s3cr");
  CHECK(RegularFile::Open((dir.path() / "none").string()).status().message() == "No such file or directory");
}
