# Writes the man page and the bash and zsh completion scripts from the program's help table.
# -DMANDATE=<the mandate program> -DMAN=<mandate.1> -DBASH=<bash script> -DZSH=<zsh script>
function(write_help out)
  get_filename_component(dir ${out} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  execute_process(COMMAND ${MANDATE} help ${ARGN} OUTPUT_FILE ${out}.new RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "mandate help ${ARGN} failed (${rc})")
  endif()
  file(RENAME ${out}.new ${out})
endfunction()
write_help(${MAN} --man)
write_help(${BASH} --completion bash)
write_help(${ZSH} --completion zsh)
