# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
# Windows paths keep their backslashes
COPY testfile.txt c:\
 RUN dir c:\ `
   && echo done
WORKDIR C:\app
ENV DIR="C:\Program Files" `
    OTHER=`$literal
