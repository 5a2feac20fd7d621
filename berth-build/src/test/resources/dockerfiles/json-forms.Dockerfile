FROM busybox
CMD ["echo", "exec \"quoted\" \u00e9"]
CMD [ "spaced" , "array" ]
CMD ['single', 'quotes']
CMD [echo, hello]
ENTRYPOINT []
ENTRYPOINT exec top -b
RUN [ "sh", "-c", "echo ${HOME}" ]
RUN ["unterminated", "json"
VOLUME ["/a", "/b c"]
