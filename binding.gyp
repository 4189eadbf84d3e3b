# node-gyp and node-gyp-build build from the package root; the addon's target and its sources are in native/.
{
  'targets': [
    {
      'target_name': 'egret_native',
      'type': 'none',
      'dependencies': ['native/binding.gyp:egret_stmgr'],
    },
  ],
}
