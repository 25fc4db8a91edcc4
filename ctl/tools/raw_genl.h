// Generic netlink without a library in the way: messages built byte by byte,
// so they can be wrong on purpose (bad lengths, truncated headers, stray
// attributes), sent on a raw socket, answers collected by sequence number.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "result.h"
#include "unique_fd.h"

namespace txqg {

// One datagram of one or more netlink messages.
class NlBuilder {
public:
	// Starts a message; end() or the next message() fixes its length.
	NlBuilder &message(std::uint16_t type, std::uint16_t flags, std::uint32_t seq);
	NlBuilder &genl(std::uint8_t cmd, std::uint8_t version = 1);
	NlBuilder &attr(std::uint16_t type, const void *data, std::size_t len);
	NlBuilder &u32(std::uint16_t type, std::uint32_t v) { return attr(type, &v, sizeof(v)); }
	// Bytes that are no attribute: a bare header, junk.
	NlBuilder &raw(const void *data, std::size_t len);
	NlBuilder &nest_begin(std::uint16_t type);
	NlBuilder &nest_end();
	// The current message's nlmsg_len says len instead of its real size.
	NlBuilder &claim_length(std::uint32_t len);
	// The datagram ends after len bytes, whatever the headers say.
	NlBuilder &cut(std::size_t len);
	std::vector<std::uint8_t> bytes();

private:
	void finish();

	std::vector<std::uint8_t> buf_;
	std::optional<std::size_t> msg_;  // offset of the open message
	std::optional<std::uint32_t> claimed_;
	std::vector<std::size_t> nests_;
};

struct Answer {
	bool replied = false;  // a message of the family came back
	bool acked = false;  // NLMSG_ERROR arrived (error 0 is an ACK)
	int error = 0;  // negative errno
	std::string extack;
	std::optional<std::uint32_t> mode;  // TXQGUARD_A_MODE in a GET_STATS reply
};

class RawGenl {
public:
	// Bound in the calling thread's namespace, extended acks on.
	static Result<RawGenl> open();

	std::uint32_t next_seq() { return ++seq_; }
	// SO_RCVBUFFORCE (root) or SO_RCVBUF.
	Result<void> set_receive_buffer(int bytes);
	Result<void> send(const std::vector<std::uint8_t> &datagram);
	// Answers per sequence number until every seq in want was acknowledged
	// or timeout passed; anything else that arrives is kept as well.
	Result<std::map<std::uint32_t, Answer>> collect(const std::vector<std::uint32_t> &want,
							std::chrono::milliseconds timeout);
	// ENOBUFS reports seen by collect(): the kernel dropped answers.
	unsigned overruns() const { return overruns_; }
	Result<void> join_group(unsigned group);

private:
	explicit RawGenl(UniqueFd fd) : fd_(std::move(fd)) {}
	void absorb(const std::uint8_t *data, std::size_t len,
		    std::map<std::uint32_t, Answer> &out);

	UniqueFd fd_;
	std::uint32_t seq_ = 1000;
	unsigned overruns_ = 0;
};

}  // namespace txqg
