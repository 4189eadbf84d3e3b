#include "control_codec.h"

namespace egret {

namespace {

bool decodeAckTuple(Span bytes, AckTupleView& out) {
  out.roots.clear();
  bool hasAcked = false;
  WireReader reader(bytes);
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    if (field == 1) {
      Span root;
      out.roots.emplace_back();
      if (type != kLengthDelimited || !reader.readBytes(root) || !decodeRootId(root, out.roots.back())) return false;
    } else if (field == 2) {
      if (type != kFixed64 || !reader.readFixed64(out.ackedTuple)) return false;
      hasAcked = true;
    } else if (!reader.skip(type)) {
      return false;
    }
  }
  return hasAcked;
}

uint8_t* writeStringField(uint8_t* out, uint32_t field, const std::string& text) { return writeBytesField(out, field, text.data(), text.size()); }

}  // namespace

size_t encodeControlEntry(uint8_t* out, ControlField field, int32_t rootTask, uint64_t root, uint64_t ackedTuple) {
  const uint64_t task = int32Wire(rootTask);
  const size_t rootBytes = 1 + varintSize(task) + 1 + 8;
  const size_t ackBytes = 1 + varintSize(rootBytes) + rootBytes + 1 + 8;
  uint8_t* p = out;
  p = writeTag(p, field, kLengthDelimited);
  p = writeVarint(p, ackBytes);
  p = writeTag(p, 1, kLengthDelimited);
  p = writeVarint(p, rootBytes);
  p = writeTag(p, 1, kVarint);
  p = writeVarint(p, task);
  p = writeTag(p, 2, kFixed64);
  p = writeFixed64(p, root);
  p = writeTag(p, 2, kFixed64);
  p = writeFixed64(p, ackedTuple);
  return static_cast<size_t>(p - out);
}

bool ControlReader::next(AckTupleView& out) {
  while (!reader_.atEnd()) {
    uint32_t field, type;
    if (!reader_.readTag(field, type)) break;
    if (field >= kControlAcks && field <= kControlEmits) {
      Span entry;
      if (type != kLengthDelimited || !reader_.readBytes(entry)) break;
      if (field != field_) continue;
      if (!decodeAckTuple(entry, out)) break;
      return true;
    }
    if (!reader_.skip(type)) break;
  }
  failed_ = !reader_.atEnd();
  return false;
}

bool decodeTupleSet2(Span payload, TupleSet2View& out) {
  out = TupleSet2View{};
  SetParts parts;
  if (!decodeSetParts(payload, parts) || !parts.hasSrcTaskId) return false;
  out.hasData = parts.hasData;
  out.data = parts.data;
  out.hasControl = parts.hasControl;
  out.control = parts.control;
  out.srcTaskId = parts.srcTaskId;
  return true;
}

std::vector<uint8_t> encodeDataOnlySet(Span data, int32_t srcTaskId) {
  const uint64_t src = int32Wire(srcTaskId);
  std::vector<uint8_t> out(1 + varintSize(src) + 1 + varintSize(data.size) + data.size);
  uint8_t* p = out.data();
  p = writeTag(p, 3, kVarint);
  p = writeVarint(p, src);
  writeBytesField(p, 1, data.data, data.size);
  return out;
}

std::vector<uint8_t> encodeBackPressure(const std::string& topologyName, const std::string& topologyId, const std::string& stmgrId, const std::string& messageId) {
  std::vector<uint8_t> out(4 * (1 + 5) + topologyName.size() + topologyId.size() + stmgrId.size() + messageId.size());
  uint8_t* p = out.data();
  p = writeStringField(p, 1, topologyName);
  p = writeStringField(p, 2, topologyId);
  p = writeStringField(p, 3, stmgrId);
  p = writeStringField(p, 4, messageId);
  out.resize(static_cast<size_t>(p - out.data()));
  return out;
}

bool decodeBackPressure(Span payload, std::string& messageId) {
  WireReader reader(payload);
  unsigned seen = 0;
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    if (field >= 1 && field <= 4) {
      Span text;
      if (type != kLengthDelimited || !reader.readBytes(text)) return false;
      if (field == 4) messageId.assign(reinterpret_cast<const char*>(text.data), text.size);
      seen |= 1u << field;
    } else if (!reader.skip(type)) {
      return false;
    }
  }
  // Every field is required.
  return seen == 0x1e;
}

}  // namespace egret
