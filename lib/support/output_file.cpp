#include "output_file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace mandate::detail {

namespace {

std::string dir_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr const char* temporary_infix = ".tmp-mandate-";

// Removes the temporaries beside `target` whose writer is gone: a process killed while it
// wrote (SIGKILL runs no destructor) must not leave them for ever. A name whose process id
// still runs is left alone, whoever that process is.
void remove_orphans(const std::string& target) {
    const std::string dir = dir_of(target);
    const std::string prefix = base_of(target) + temporary_infix;
    DIR* d = opendir(dir.c_str());
    if (!d) return;
    while (const dirent* entry = readdir(d)) {
        const std::string name = entry->d_name;
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        const char* digits = name.c_str() + prefix.size();
        char* end = nullptr;
        errno = 0;
        const long pid = std::strtol(digits, &end, 10);
        if (errno != 0 || end == digits || *end != '-' || pid <= 0) continue;
        if (pid == static_cast<long>(getpid())) continue;
        if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        unlink((dir + "/" + name).c_str());
    }
    closedir(d);
}

// Follows symbolic links to the path they end at (which may not exist yet: the target of a
// dangling link is created). Relative links are read from the link's own directory.
std::string follow_links(const std::string& path, const std::string& named) {
    std::string p = path;
    for (int hops = 0;; ++hops) {
        struct stat s;
        if (lstat(p.c_str(), &s) != 0 || !S_ISLNK(s.st_mode)) return p;
        if (hops == 40) throw output_error("cannot write " + named + ": too many levels of symbolic links");
        std::vector<char> text(static_cast<std::size_t>(s.st_size > 0 ? s.st_size : 255) + 1);
        const ssize_t n = readlink(p.c_str(), text.data(), text.size());
        if (n < 0) throw output_error("cannot write " + named + ": " + std::strerror(errno));
        std::string next(text.data(), static_cast<std::size_t>(n));
        p = next.empty() || next[0] == '/' ? next : dir_of(p) + "/" + next;
    }
}

}  // namespace

bool write_all(int fd, const void* data, std::size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

output_file::output_file(const std::string& path, options o) : path_(path), durable_(o.durable) {
    // A device, a FIFO or a terminal reached through links the kernel follows but a path
    // cannot name (/dev/stdout -> /proc/self/fd/1 -> pipe:[N]): written to as it is.
    struct stat direct;
    if (!o.whole_only && stat(path.c_str(), &direct) == 0 && (S_ISCHR(direct.st_mode) || S_ISFIFO(direct.st_mode))) {
        target_ = path;
        fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) fail("cannot write");
        return;
    }
    target_ = follow_links(path, path);
    struct stat s;
    const bool exists = stat(target_.c_str(), &s) == 0;
    if (!exists && errno != ENOENT) fail("cannot write");
    if (exists && S_ISDIR(s.st_mode)) throw output_error("cannot write " + path_ + ": it is a directory");
    if (exists && S_ISSOCK(s.st_mode)) throw output_error("cannot write " + path_ + ": it is a socket");
    if (exists && o.whole_only && (!S_ISREG(s.st_mode) || s.st_nlink > 1))
        throw output_error("cannot write " + path_ + ": it is not a regular file with one name, so it cannot be replaced whole");
    if (exists && !S_ISREG(s.st_mode)) {
        // A device, a FIFO, a terminal: what is written goes to it as it is.
        fd_ = ::open(target_.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) fail("cannot write");
        return;
    }
    if (exists && s.st_nlink > 1) {
        // Renaming a new file over one name would split it from its other links.
        fd_ = ::open(target_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd_ < 0) fail("cannot write");
        return;
    }
    remove_orphans(target_);
    static std::atomic<unsigned> counter{0};
    const mode_t mode = exists ? (s.st_mode & 07777) : 0666;  // a new file: as umask allows
    for (int attempt = 0; fd_ < 0; ++attempt) {
        temporary_ = target_ + temporary_infix + std::to_string(getpid()) + "-" + std::to_string(counter++);
        fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd_ < 0 && (errno != EEXIST || attempt == 100)) {
            const int error = errno;
            temporary_.clear();
            errno = error;
            fail("cannot create a temporary file beside");
        }
    }
    if (exists) {
        // The replacement keeps the file's owner and permissions where it can.
        if (fchmod(fd_, mode) != 0) { /* a file system without modes: keep what open gave */ }
        if (fchown(fd_, s.st_uid, s.st_gid) != 0) { /* only the owner or root may: keep ours */ }
    }
}

output_file::~output_file() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temporary_.empty()) unlink(temporary_.c_str());
}

void output_file::fail(const std::string& what) const {
    throw output_error(what + " " + path_ + ": " + std::strerror(errno));
}

void output_file::write(const void* data, std::size_t n) {
    if (fd_ < 0 || committed_) throw output_error("cannot write " + path_ + ": it is closed");
    if (!write_all(fd_, data, n)) fail("cannot write");
}

void output_file::write_at(std::uint64_t offset, const void* data, std::size_t n) {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
        const ssize_t w = ::pwrite(fd_, p, n, static_cast<off_t>(offset));
        if (w < 0) {
            if (errno == EINTR) continue;
            fail("cannot write");
        }
        p += w;
        n -= static_cast<std::size_t>(w);
        offset += static_cast<std::uint64_t>(w);
    }
}

void output_file::commit() {
    if (committed_) return;
    // On disk before it takes the target's name: a crash leaves the old file or the new one.
    if (durable_ && fsync(fd_) != 0 && errno != EINVAL && errno != EROFS) fail("cannot flush");
    const int fd = fd_;
    fd_ = -1;
    // close() is where some file systems (NFS, quotas) first report a failed write.
    if (::close(fd) != 0 && errno != EINTR) fail("cannot write");
    if (!temporary_.empty()) {
        if (std::rename(temporary_.c_str(), target_.c_str()) != 0) fail("cannot replace");
        if (durable_) {
            // And the rename itself: flush the directory that holds it.
            const int d = ::open(dir_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (d >= 0) {
                fsync(d);
                ::close(d);
            }
        }
    }
    committed_ = true;
}

// ---------------------------------------------------------------- streams

namespace {
constexpr std::size_t stream_block = std::size_t{1} << 20;
}

output_stream::buffer::buffer(output_file* file, const std::string& name)
    : file_(file), name_(name), space_(stream_block) {
    setp(space_.data(), space_.data() + space_.size());
}

void output_stream::buffer::drain() {
    const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    setp(space_.data(), space_.data() + space_.size());
    if (n == 0) return;
    if (file_) {
        file_->write(space_.data(), n);
    } else if (!write_all(1, space_.data(), n)) {
        throw output_error("cannot write " + name_ + ": " + std::strerror(errno));
    }
}

output_stream::buffer::int_type output_stream::buffer::overflow(int_type c) {
    drain();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
    }
    return traits_type::not_eof(c);
}

std::streamsize output_stream::buffer::xsputn(const char* s, std::streamsize n) {
    const auto want = static_cast<std::size_t>(n);
    if (want <= static_cast<std::size_t>(epptr() - pptr())) {
        std::memcpy(pptr(), s, want);
        pbump(static_cast<int>(want));
        return n;
    }
    drain();
    if (want >= space_.size()) {  // a large piece goes straight out
        if (file_) file_->write(s, want);
        else if (!write_all(1, s, want)) throw output_error("cannot write " + name_ + ": " + std::strerror(errno));
        return n;
    }
    std::memcpy(pptr(), s, want);
    pbump(static_cast<int>(want));
    return n;
}

int output_stream::buffer::sync() {
    drain();
    return 0;
}

output_stream::output_stream(output_file& file) : std::ostream(nullptr), file_(&file), buffer_(&file, file.path()) {
    rdbuf(&buffer_);
    exceptions(std::ios::badbit);
}

output_stream::output_stream(standard_output_tag) : std::ostream(nullptr), file_(nullptr), buffer_(nullptr, "standard output") {
    rdbuf(&buffer_);
    exceptions(std::ios::badbit);
}

output_stream::~output_stream() {
    // Not finished: a failure is on its way out already; what is buffered is dropped (a
    // temporary file is removed by its output_file).
}

void output_stream::finish() {
    buffer_.drain();
    if (file_) file_->commit();
}

}  // namespace mandate::detail
