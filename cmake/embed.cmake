# supportsim_embed(FILE NAMESPACE FUNCTION OUTPUT): compiles FILE (relative to the calling
# folder) into the binary, as `std::string_view NAMESPACE::FUNCTION()` defined in the generated
# source OUTPUT. Used for the default scenario and the JSON Schemas, so `supportsim` works from
# anywhere. CMake re-runs when FILE changes (CMAKE_CONFIGURE_DEPENDS tracks it, configure_file
# the template).
set(SUPPORTSIM_EMBED_TEMPLATE ${CMAKE_CURRENT_LIST_DIR}/embedded_text.cpp.in)

function(supportsim_embed FILE NAMESPACE FUNCTION OUTPUT)
  file(READ ${CMAKE_CURRENT_SOURCE_DIR}/${FILE} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," EMBED_BYTES "${hex}")
  file(RELATIVE_PATH EMBED_FILE ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/${FILE})
  set(EMBED_NAMESPACE ${NAMESPACE})
  set(EMBED_FUNCTION ${FUNCTION})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${FILE})
  configure_file(${SUPPORTSIM_EMBED_TEMPLATE} ${OUTPUT} @ONLY)
endfunction()
