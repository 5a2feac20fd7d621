FROM ubuntu:22.04
# a comment before a continued RUN
RUN apt-get update \
    # comments inside a continuation are dropped
    && apt-get install -y \
        ca-certificates \

        curl \
  # another one
    && rm -rf /var/lib/apt/lists/*
LABEL a=1 \
      b="two words" \
      c='$not_expanded'
   run    echo lowercase instructions and leading blanks work   
CMD echo \
    done
