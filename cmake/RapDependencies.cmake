# Every dependency is a Debian 12 package; scripts/install-deps installs them.

find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tl-expected REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)

# SOCI 4.0 (libsoci-dev) ships neither a CMake package nor pkg-config files.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(SOCI_POSTGRESQL_LIBRARY soci_postgresql REQUIRED)
add_library(rap_soci INTERFACE)
target_include_directories(rap_soci SYSTEM INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(rap_soci INTERFACE ${SOCI_POSTGRESQL_LIBRARY} ${SOCI_SQLITE3_LIBRARY}
                      ${SOCI_CORE_LIBRARY} PkgConfig::SQLITE3 PkgConfig::LIBPQ ${CMAKE_DL_LIBS})

if(RAP_BUILD_TESTS)
    find_package(GTest REQUIRED)
endif()
if(RAP_BUILD_BENCH)
    find_package(benchmark REQUIRED)
endif()
