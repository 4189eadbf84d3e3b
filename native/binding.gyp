# The stream manager's data path (see README.md). Built from the package root through ../binding.gyp, which
# node-gyp and node-gyp-build look for there; the target and its sources live here, beside each other.
{
  'targets': [
    {
      'target_name': 'egret_stmgr',
      'sources': [
        'src/batcher.cc',
        'src/binding.cc',
        'src/buffer.cc',
        'src/connection.cc',
        'src/control_codec.cc',
        'src/engine.cc',
        'src/engine_acking.cc',
        'src/engine_back_pressure.cc',
        'src/engine_commands.cc',
        'src/engine_frames.cc',
        'src/engine_io.cc',
        'src/engine_peers.cc',
        'src/engine_route.cc',
        'src/frame.cc',
        'src/js_convert.cc',
        'src/js_report.cc',
        'src/message_types.cc',
        'src/out_queue.cc',
        'src/poller.cc',
        'src/root_tracker.cc',
        'src/routing.cc',
        'src/sockets.cc',
        'src/tuple_codec.cc',
      ],
      'include_dirs': [
        "<!(node -p \"require('node-addon-api').include_dir\")",
      ],
      'defines': [
        'NAPI_VERSION=8',
        'NAPI_DISABLE_CPP_EXCEPTIONS',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
        # Events still queued when a worker or the process tears down reach a JS that can no longer run: node-addon-api
        # then treats the failed calls as no-ops instead of aborting the process.
        'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS',
      ],
      'cflags_cc!': ['-std=gnu++17', '-std=gnu++20'],
      'cflags_cc': ['-std=c++17', '-fno-exceptions', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Wno-missing-field-initializers'],
      'ldflags': ['-pthread'],
    },
  ],
}
