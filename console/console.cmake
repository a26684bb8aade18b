# The web console, bundled at build time into the server (included from
# api/CMakeLists.txt). With node and npm: `npm ci` installs the pinned
# packages into console/node_modules, then console/build.mjs bundles
# console/src and generates console_assets.cc (api/console_assets.h); the
# bundle is made again when any file it read changes (a depfile from
# esbuild's inputs). Without them the server builds with an empty asset
# table, api/console_assets_none.cc.
# Sets EXEMPLAR_CONSOLE_ASSETS_SOURCE to the source to compile.
set(EXEMPLAR_CONSOLE AUTO CACHE STRING
  "Build the web console into the server: AUTO (when node and npm are found), ON or OFF")
set_property(CACHE EXEMPLAR_CONSOLE PROPERTY STRINGS AUTO ON OFF)

set(console_source_dir ${PROJECT_SOURCE_DIR}/console)
# Whether the console is in the binary, for tests/CMakeLists.txt.
set(EXEMPLAR_CONSOLE_BUILT OFF CACHE INTERNAL "")
set(EXEMPLAR_CONSOLE_ASSETS_SOURCE ${PROJECT_SOURCE_DIR}/api/console_assets_none.cc)

if(NOT EXEMPLAR_CONSOLE STREQUAL "OFF")
  find_program(EXEMPLAR_CONSOLE_NODE node)
  find_program(EXEMPLAR_CONSOLE_NPM npm)
endif()

if(EXEMPLAR_CONSOLE STREQUAL "OFF")
  message(STATUS "Web console: off (EXEMPLAR_CONSOLE=OFF); the server builds without it")
elseif(NOT EXEMPLAR_CONSOLE_NODE OR NOT EXEMPLAR_CONSOLE_NPM)
  if(EXEMPLAR_CONSOLE STREQUAL "ON")
    message(FATAL_ERROR "EXEMPLAR_CONSOLE=ON but node or npm was not found")
  endif()
  message(STATUS "Web console: node or npm not found; the server builds without the console (scripts/deps installs them)")
else()
  set(console_out ${CMAKE_CURRENT_BINARY_DIR}/console)
  set(console_installed ${console_out}/npm-ci.stamp)
  add_custom_command(
    OUTPUT ${console_installed}
    COMMAND ${EXEMPLAR_CONSOLE_NPM} ci --no-audit --no-fund --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${console_installed}
    DEPENDS ${console_source_dir}/package.json ${console_source_dir}/package-lock.json
    WORKING_DIRECTORY ${console_source_dir}
    COMMENT "Installing the console's npm packages (npm ci)"
    VERBATIM)
  add_custom_command(
    OUTPUT ${console_out}/console_assets.cc
    COMMAND ${EXEMPLAR_CONSOLE_NODE} ${console_source_dir}/build.mjs
            --out ${console_out} --depfile ${console_out}/console_assets.d
    DEPENDS ${console_installed} ${console_source_dir}/build.mjs
    DEPFILE ${console_out}/console_assets.d
    WORKING_DIRECTORY ${console_source_dir}
    COMMENT "Bundling the web console"
    VERBATIM)
  set(EXEMPLAR_CONSOLE_ASSETS_SOURCE ${console_out}/console_assets.cc)
  set(EXEMPLAR_CONSOLE_BUILT ON CACHE INTERNAL "")
  message(STATUS "Web console: built with ${EXEMPLAR_CONSOLE_NODE}")
endif()
