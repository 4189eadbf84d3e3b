#include "tuple_codec.h"

namespace egret {

namespace {

bool decodeStreamId(Span bytes, TupleSetView& out) {
  WireReader reader(bytes);
  bool hasId = false;
  bool hasComponent = false;
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    if (field == 1) {
      if (type != kLengthDelimited || !reader.readBytes(out.streamId)) return false;
      hasId = true;
    } else if (field == 2) {
      if (type != kLengthDelimited || !reader.readBytes(out.componentName)) return false;
      hasComponent = true;
    } else if (!reader.skip(type)) {
      return false;
    }
  }
  return hasId && hasComponent;
}

bool decodeDataSetHeader(Span bytes, TupleSetView& out) {
  // The stream is required; its position among the tuples is not fixed by the wire format.
  WireReader reader(bytes);
  bool hasStream = false;
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    if (field == 1) {
      Span stream;
      if (type != kLengthDelimited || !reader.readBytes(stream) || !decodeStreamId(stream, out)) return false;
      hasStream = true;
    } else if ((field == 2 && type != kLengthDelimited) || !reader.skip(type)) {
      return false;
    }
  }
  return hasStream;
}

}  // namespace

bool decodeRootId(Span bytes, RootIdView& out) {
  WireReader reader(bytes);
  bool hasTask = false;
  bool hasKey = false;
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    if (field == 1) {
      if (type != kVarint || !reader.readInt32(out.taskId)) return false;
      hasTask = true;
    } else if (field == 2) {
      if (type != kFixed64 || !reader.readFixed64(out.key)) return false;
      hasKey = true;
    } else if (!reader.skip(type)) {
      return false;
    }
  }
  return hasTask && hasKey;
}

bool decodeSetParts(Span payload, SetParts& out) {
  out = SetParts{};
  WireReader reader(payload);
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    if (field == 1) {
      if (type != kLengthDelimited || !reader.readBytes(out.data)) return false;
      out.hasData = true;
    } else if (field == 2) {
      if (type != kLengthDelimited || !reader.readBytes(out.control)) return false;
      out.hasControl = true;
    } else if (field == 3) {
      if (type != kVarint || !reader.readInt32(out.srcTaskId)) return false;
      out.hasSrcTaskId = true;
    } else if (!reader.skip(type)) {
      return false;
    }
  }
  return true;
}

bool decodeTupleSet(Span payload, TupleSetView& out) {
  out = TupleSetView{};
  SetParts parts;
  if (!decodeSetParts(payload, parts) || !parts.hasSrcTaskId) return false;
  out.hasData = parts.hasData;
  out.dataSet = parts.data;
  out.hasControl = parts.hasControl;
  out.control = parts.control;
  out.hasSrcTaskId = true;
  out.srcTaskId = parts.srcTaskId;
  return !out.hasData || decodeDataSetHeader(out.dataSet, out);
}

bool TupleReader::next(Span& tuple) {
  while (!reader_.atEnd()) {
    uint32_t field, type;
    if (!reader_.readTag(field, type)) break;
    if (field == 2 && type == kLengthDelimited) {
      if (!reader_.readBytes(tuple)) break;
      return true;
    }
    if (!reader_.skip(type)) break;
  }
  failed_ = !reader_.atEnd();
  return false;
}

bool decodeDataTuple(Span tuple, DataTupleView& out) {
  out.hasKey = false;
  out.key = 0;
  out.roots.clear();
  out.values.clear();
  out.destTaskIds.clear();
  WireReader reader(tuple);
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    switch (field) {
      case 1:
        out.keyOffset = static_cast<size_t>(reader.position() - tuple.data);
        if (type != kFixed64 || !reader.readFixed64(out.key)) return false;
        out.hasKey = true;
        break;
      case 2: {
        Span root;
        out.roots.emplace_back();
        if (type != kLengthDelimited || !reader.readBytes(root) || !decodeRootId(root, out.roots.back())) return false;
        break;
      }
      case 3: {
        Span value;
        if (type != kLengthDelimited || !reader.readBytes(value)) return false;
        out.values.push_back(value);
        break;
      }
      case 4:
        if (type == kVarint) {
          int32_t task;
          if (!reader.readInt32(task)) return false;
          out.destTaskIds.push_back(task);
        } else if (type == kLengthDelimited) {
          // The packed encoding of the same repeated field: decoders accept both.
          Span packed;
          if (!reader.readBytes(packed)) return false;
          WireReader ids(packed);
          while (!ids.atEnd()) {
            int32_t task;
            if (!ids.readInt32(task)) return false;
            out.destTaskIds.push_back(task);
          }
        } else {
          return false;
        }
        break;
      default:
        if (!reader.skip(type)) return false;
    }
  }
  // `key` is required; an instance under ATMOST_ONCE writes 0.
  return out.hasKey;
}

bool decodeTupleStream(Span payload, TupleStreamView& out) {
  out = TupleStreamView{};
  unsigned seen = 0;
  WireReader reader(payload);
  while (!reader.atEnd()) {
    uint32_t field, type;
    if (!reader.readTag(field, type)) return false;
    bool ok;
    switch (field) {
      case 1: ok = type == kVarint && reader.readInt32(out.taskId); break;
      case 2: ok = type == kLengthDelimited && reader.readBytes(out.set); break;
      case 3: ok = type == kVarint && reader.readInt32(out.srcTaskId); break;
      case 4: ok = type == kVarint && reader.readInt32(out.numTuples); break;
      default: ok = reader.skip(type); field = 0;
    }
    if (!ok) return false;
    if (field != 0) seen |= 1u << field;
  }
  return seen == 0x1e && out.numTuples >= 0;
}

}  // namespace egret
